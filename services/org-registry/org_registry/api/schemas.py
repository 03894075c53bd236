"""Request and response bodies of org-registry's API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from jiceng.api.types import Day, MemberCount, UnitCount
from org_registry.domain.host_unit import HostUnit
from org_registry.domain.organisation import Organisation
from org_registry.domain.structure import NAME_MAX_LENGTH, has_approval_power
from org_registry.domain.term import Seat, Term
from org_registry.domain.types import (
    CoverageKind,
    Office,
    OrgDomain,
    OrgStatus,
    OrgType,
    UnitType,
    VenueGrade,
)
from org_registry.domain.venue import Venue

Name = Field(min_length=1, max_length=NAME_MAX_LENGTH)
Reason = Field(default=None, max_length=500, description="Why (recorded with the event)")
RegionCode = Field(default=None, pattern=r"^\d{6}(\d{3}|\d{6})?$", description="GB/T 2260")


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


class SeatBody(BaseModel):
    office: Office
    name: str = Field(min_length=1, max_length=100)
    person_id: str | None = Field(default=None, max_length=64)

    def seat(self) -> Seat:
        return Seat(self.office, self.name.strip(), self.person_id)


class RecordElection(BaseModel):
    held_on: Day
    seats: list[SeatBody] = Field(min_length=1, max_length=15)
    reason: str | None = Reason


class ApproveLeaders(BaseModel):
    approved_on: Day
    approved_by: str = Field(min_length=1, max_length=200, description="The approving body")
    reason: str | None = Reason


class OpenVacancy(BaseModel):
    office: Office
    since: Day
    reason: str | None = Reason


class FillVacancy(BaseModel):
    seat: SeatBody
    filled_on: Day
    reason: str | None = Reason


class PostponeTerm(BaseModel):
    months: int = Field(ge=1, le=24)
    approved_on: Day
    approved_by: str = Field(min_length=1, max_length=200)
    reason: str | None = Reason


class SeatView(BaseModel):
    office: Office
    office_label: str
    name: str
    person_id: str | None

    @classmethod
    def of(cls, seat: Seat) -> SeatView:
        return cls(
            office=seat.office,
            office_label=seat.office.label,
            name=seat.name,
            person_id=seat.person_id,
        )


class TermView(BaseModel):
    held_on: date
    years: int
    ends_on: date
    due_on: date
    postponed_months: int
    has_committee: bool
    leaders_approved_on: date | None
    seats: list[SeatView]
    vacancies: dict[str, date]

    @classmethod
    def of(cls, term: Term) -> TermView:
        return cls(
            held_on=term.held_on,
            years=term.years,
            ends_on=term.ends_on,
            due_on=term.due_on,
            postponed_months=term.postponed_months,
            has_committee=term.has_committee,
            leaders_approved_on=term.leaders_approved_on,
            seats=[SeatView.of(s) for s in term.seats],
            vacancies=dict(term.vacancies),
        )


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
            merged_into=org.merged_into,
            version=org.version,
            created_at=org.created_on,
            modified_at=org.modified_on,
        )


class RegisterHostUnit(BaseModel):
    name: str = Name
    credit_code: str = Field(min_length=18, max_length=22, description="统一社会信用代码")
    unit_type: UnitType
    employees: UnitCount
    region_code: str = Field(pattern=r"^\d{6}(\d{3}|\d{6})?$")
    managing_org_id: UUID
    reason: str | None = Reason


class RecordUnitMembers(BaseModel):
    formal: MemberCount
    total: MemberCount
    as_of: Day
    reason: str | None = Reason


class CoverUnit(BaseModel):
    kind: CoverageKind
    covered_on: Day
    org_id: UUID | None = None
    instructor: str | None = Field(default=None, max_length=100)
    reason: str | None = Reason


class HostUnitView(BaseModel):
    id: UUID
    name: str
    credit_code: str
    unit_type: UnitType
    employees: int
    region_code: str
    managing_org_id: UUID
    coverage: CoverageKind
    covering_org_id: UUID | None
    instructor: str | None
    formal_members: int
    members: int
    version: int

    @classmethod
    def of(cls, unit: HostUnit) -> HostUnitView:
        return cls(
            id=unit.id,
            name=unit.name,
            credit_code=unit.credit_code,
            unit_type=unit.unit_type,
            employees=unit.employees,
            region_code=unit.region_code,
            managing_org_id=unit.managing_org_id,
            coverage=unit.coverage,
            covering_org_id=unit.covering_org_id,
            instructor=unit.instructor,
            formal_members=unit.formal_members,
            members=unit.members,
            version=unit.version,
        )


class RegisterVenue(BaseModel):
    org_id: UUID
    name: str = Name
    area_m2: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    households_served: UnitCount
    checklist: dict[str, bool] = Field(default_factory=dict, description="The 六有 items present")
    reason: str | None = Reason


class UpdateVenue(BaseModel):
    area_m2: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    households_served: UnitCount
    checklist: dict[str, bool]
    reason: str | None = Reason


class RateVenue(BaseModel):
    grade: VenueGrade
    inspected_on: Day
    inspector: str = Field(min_length=1, max_length=200)
    reason: str | None = Reason


class VenueView(BaseModel):
    id: UUID
    org_id: UUID
    name: str
    area_m2: Decimal
    households_served: int
    checklist: dict[str, bool]
    grade: VenueGrade | None
    rated_on: date | None
    version: int

    @classmethod
    def of(cls, venue: Venue) -> VenueView:
        return cls(
            id=venue.id,
            org_id=venue.org_id,
            name=venue.name,
            area_m2=venue.area_m2,
            households_served=venue.households_served,
            checklist=venue.checklist,
            grade=venue.grade,
            rated_on=venue.rated_on,
            version=venue.version,
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


class DueTermView(BaseModel):
    org_id: UUID
    org_name: str
    org_type: str
    held_on: date
    due_on: date
    days_left: int = Field(description="Negative when overdue")


class VacancyView(BaseModel):
    org_id: UUID
    org_name: str
    office: Office
    since: date
    days_vacant: int
    limit_days: int | None
    pack: str


class CountRow(BaseModel):
    org_type: str
    domain: str | None
    count: int


class SubtreeCounts(BaseModel):
    total: int
    by_type_and_domain: list[CountRow]


class RateView(BaseModel):
    eligible: int
    covered: int
    rate: Decimal | None
    covered_units: list[UUID]
    uncovered_units: list[UUID]


class CoverageView(BaseModel):
    standalone: RateView = Field(description="单独组建率: units with ≥ threshold 正式党员")
    organisation: RateView = Field(description="组织覆盖率: units with members")
    work: RateView = Field(description="工作覆盖率: all units")
    threshold: int
    pack: str
    units: int


class PolicyView(BaseModel):
    org_id: UUID
    on: date
    pack: str
    status: str
    chain: list[str]
    rules: dict[str, Any]
