"""An organisation in the Party's grassroots tree (党组织)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from jiceng.errors import InvalidInput

NAME_MAX_LENGTH = 200


class OrgType(StrEnum):
    label: str

    def __new__(cls, value: str, label: str) -> OrgType:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    COMMITTEE = ("committee", "基层党委")
    WORKING_COMMITTEE = ("working_committee", "党工委")
    GENERAL_BRANCH = ("general_branch", "党总支")
    BRANCH = ("branch", "党支部")
    JOINT_BRANCH = ("joint_branch", "联合党支部")
    TEMPORARY_BRANCH = ("temporary_branch", "临时党支部")
    PARTY_GROUP = ("party_group", "党小组")


class OrgDomain(StrEnum):
    label: str

    def __new__(cls, value: str, label: str) -> OrgDomain:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

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


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput("organisation.name_empty")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise InvalidInput("organisation.name_too_long", length=len(cleaned), limit=NAME_MAX_LENGTH)
    return cleaned


class Organisation(Aggregate):
    """党组织: a node of the tree, identified by a UUID, with its parent."""

    @event("Established")
    def __init__(
        self,
        name: str,
        org_type: OrgType,
        domain: OrgDomain,
        parent_id: UUID | None,
        established_on: date | None,
    ) -> None:
        self.name = name
        self.org_type = OrgType(org_type)
        self.domain = OrgDomain(domain)
        self.parent_id = parent_id
        self.established_on = established_on

    @classmethod
    def establish(
        cls,
        *,
        name: str,
        org_type: OrgType,
        domain: OrgDomain,
        parent: Organisation | None,
        established_on: date | None,
    ) -> Organisation:
        """Found an organisation under ``parent`` (a root when None)."""
        return cls(
            name=check_name(name),
            org_type=org_type,
            domain=domain,
            parent_id=parent.id if parent else None,
            established_on=established_on,
        )

    def rename(self, name: str) -> None:
        cleaned = check_name(name)
        if cleaned == self.name:
            raise InvalidInput("organisation.name_unchanged", name=cleaned)
        self._renamed(name=cleaned)

    @event("Renamed")
    def _renamed(self, name: str) -> None:
        self.name = name
