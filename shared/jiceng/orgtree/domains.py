"""领域: the sectors an organisation works in, as the org tree publishes them (the codes are
part of org-registry's contract; every copy of the tree shows the same labels)."""

from __future__ import annotations

from jiceng.labels import LabelledEnum


class OrgDomain(LabelledEnum):
    RURAL = ("rural", "农村")
    COMMUNITY = ("community", "社区")
    GOVERNMENT = ("government", "机关")
    PUBLIC_INSTITUTION = ("public_institution", "事业单位")
    STATE_ENTERPRISE = ("state_enterprise", "国有企业")
    PRIVATE_ENTERPRISE = ("private_enterprise", "非公企业")
    SOCIAL_ORGANISATION = ("social_organisation", "社会组织")
    UNIVERSITY = ("university", "高校")
    SCHOOL = ("school", "中小学")
    PUBLIC_HOSPITAL = ("public_hospital", "公立医院")
    MOBILE_MEMBERS = ("mobile_members", "流动党员")
    OTHER = ("other", "其他")
