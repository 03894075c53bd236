"""The vocabulary of organisations: types, domains, offices, coverage and venue grades."""

from __future__ import annotations

from jiceng.orgtree.domains import OrgDomain
from org_registry.domain.labels import LabelledEnum

__all__ = ["OrgDomain", "OrgType"]


class OrgType(LabelledEnum):
    COMMITTEE = ("committee", "基层党委")
    WORKING_COMMITTEE = ("working_committee", "党工委")
    GENERAL_BRANCH = ("general_branch", "党总支")
    BRANCH = ("branch", "党支部")
    JOINT_BRANCH = ("joint_branch", "联合党支部")
    TEMPORARY_BRANCH = ("temporary_branch", "临时党支部")
    PARTY_GROUP = ("party_group", "党小组")

    @property
    def is_branch(self) -> bool:
        return self in (OrgType.BRANCH, OrgType.JOINT_BRANCH, OrgType.TEMPORARY_BRANCH)


class Office(LabelledEnum):
    SECRETARY = ("secretary", "书记")
    DEPUTY_SECRETARY = ("deputy_secretary", "副书记")
    ORGANISATION_MEMBER = ("organisation_member", "组织委员")
    PUBLICITY_MEMBER = ("publicity_member", "宣传委员")
    DISCIPLINE_MEMBER = ("discipline_member", "纪检委员")
    MEMBER = ("member", "委员")


class OrgStatus(LabelledEnum):
    ACTIVE = ("active", "正常")
    DISSOLVED = ("dissolved", "已撤销")
    MERGED = ("merged", "已合并")


class CoverageKind(LabelledEnum):
    STANDALONE = ("standalone", "单独组建")
    JOINT = ("joint", "联合组建")
    INSTRUCTOR = ("instructor", "选派党建指导员")
    NONE = ("none", "未覆盖")


class UnitType(LabelledEnum):
    PRIVATE_ENTERPRISE = ("private_enterprise", "非公有制企业")
    SOCIAL_ORGANISATION = ("social_organisation", "社会组织")
    STATE_ENTERPRISE = ("state_enterprise", "国有企业")
    GOVERNMENT = ("government", "机关")
    PUBLIC_INSTITUTION = ("public_institution", "事业单位")
    OTHER = ("other", "其他")


class VenueGrade(LabelledEnum):
    FIRST = ("first", "一类")
    SECOND = ("second", "二类")
    THIRD = ("third", "三类")
    BELOW_STANDARD = ("below_standard", "未达标")


SIX_HAVES: dict[str, str] = {
    "premises": "有场所",
    "facilities": "有设施",
    "signage": "有标志",
    "party_flag": "有党旗",
    "reading_materials": "有书报",
    "rules": "有制度",
}
