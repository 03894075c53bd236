"""Request and response bodies of host units (两新组织), their coverage, and venues (阵地)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, Field

from jiceng.api.types import Day, MemberCount, UnitCount
from org_registry.api.fields import Name, Reason
from org_registry.domain.host_unit import HostUnit
from org_registry.domain.types import (
    CoverageKind,
    UnitType,
    VenueGrade,
)
from org_registry.domain.venue import Venue


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
