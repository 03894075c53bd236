"""Request and response bodies of org-registry's API: organisations, the tree, policy."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from jiceng.api.types import Day
from org_registry.api.fields import Name, Reason, RegionCode
from org_registry.api.term_schemas import TermView
from org_registry.domain.organisation import Organisation
from org_registry.domain.structure import has_approval_power
from org_registry.domain.types import (
    OrgDomain,
    OrgStatus,
    OrgType,
)


class EstablishOrganisation(BaseModel):
    name: str = Name
    org_type: OrgType
    domain: OrgDomain
    parent_id: UUID | None = Field(default=None, description="Omit for a top-level organisation")
    established_on: Day | None = None
    short_name: str | None = Field(default=None, max_length=100)
    code: str | None = Field(default=None, max_length=50, description="Organisation code")
    region_code: str | None = RegionCode
    student_branch: bool = Field(default=False, description="学生党支部 (size rules differ)")
    reason: str | None = Reason


class RenameOrganisation(BaseModel):
    name: str = Name
    short_name: str | None = Field(default=None, max_length=100)
    reason: str | None = Reason


class Reaffiliate(BaseModel):
    parent_id: UUID
    reason: str | None = Reason


class Merge(BaseModel):
    into_id: UUID
    merged_on: Day
    reason: str | None = Reason


class Dissolve(BaseModel):
    dissolved_on: Day
    reason: str | None = Reason


class Restore(BaseModel):
    restored_on: Day
    reason: str | None = Reason


class AssignPolicyPack(BaseModel):
    pack_id: str = Field(min_length=1, max_length=100)
    effective_from: Day
    reason: str | None = Reason


class OrganisationView(BaseModel):
    id: UUID
    name: str
    short_name: str | None
    code: str | None
    region_code: str | None
    org_type: OrgType
    org_type_label: str
    domain: OrgDomain
    domain_label: str
    parent_id: UUID | None
    established_on: date | None
    student_branch: bool
    status: OrgStatus
    approval_power: bool = Field(description="May approve admissions (审批权)")
    children: list[UUID]
    policy_packs: dict[date, str]
    term: TermView | None
    secretary_on_record: str | None = Field(
        description="书记 as an imported roster names them (the term names the elected one)"
    )
    merged_into: UUID | None
    version: int
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, org: Organisation, parent_type: OrgType | None) -> OrganisationView:
        return cls(
            id=org.id,
            name=org.name,
            short_name=org.short_name,
            code=org.code,
            region_code=org.region_code,
            org_type=org.org_type,
            org_type_label=org.org_type.label,
            domain=org.domain,
            domain_label=org.domain.label,
            parent_id=org.parent_id,
            established_on=org.established_on,
            student_branch=org.student_branch,
            status=org.status,
            approval_power=org.active and has_approval_power(org.org_type, org.domain, parent_type),
            children=sorted(org.children),
            policy_packs=dict(org.policy_packs),
            term=TermView.of(org.term) if org.term else None,
            secretary_on_record=org.secretary_on_record,
            merged_into=org.merged_into,
            version=org.version,
            created_at=org.created_on,
            modified_at=org.modified_on,
        )


class EnumValue(BaseModel):
    value: str
    label: str


class AlertView(BaseModel):
    org_id: UUID
    org_name: str
    code: str
    message: str = Field(description="What is wrong, in the requested language")
    rule: str
    pack: str
    numbers: dict[str, Any]


class CountRow(BaseModel):
    org_type: str
    domain: str | None
    count: int


class SubtreeCounts(BaseModel):
    total: int
    by_type_and_domain: list[CountRow]


class PolicyView(BaseModel):
    org_id: UUID
    on: date
    pack: str
    status: str
    chain: list[str]
    rules: dict[str, Any]
