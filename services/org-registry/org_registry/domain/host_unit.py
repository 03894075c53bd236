"""A host unit (党组织所在单位): an enterprise, social organisation or institution, and how
the Party covers it (两新组织覆盖)."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_OID, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from jiceng.errors import RuleViolation
from jiceng.policy import Policy
from org_registry.domain.structure import check_name
from org_registry.domain.types import CoverageKind, UnitType


class HostUnit(Aggregate):
    """单位: identified by its 统一社会信用代码, managed by an organisation of the tree."""

    @staticmethod
    def create_id(credit_code: str) -> UUID:
        """One unit per credit code: the id derives from it, so a duplicate cannot be saved."""
        return uuid5(NAMESPACE_OID, f"uscc:{credit_code}")

    @event("Registered")
    def __init__(
        self,
        name: str,
        credit_code: str,
        unit_type: UnitType,
        employees: int,
        region_code: str,
        managing_org_id: UUID,
    ) -> None:
        self.name = name
        self.credit_code = credit_code
        self.unit_type = UnitType.of(unit_type)
        self.employees = employees
        self.region_code = region_code
        self.managing_org_id = managing_org_id
        self.coverage = CoverageKind.NONE
        self.covering_org_id: UUID | None = None
        self.instructor: str | None = None
        self.formal_members = 0
        self.members = 0

    @classmethod
    def register(
        cls,
        *,
        name: str,
        credit_code: str,
        unit_type: UnitType,
        employees: int,
        region_code: str,
        managing_org_id: UUID,
    ) -> HostUnit:
        if employees < 0:
            raise RuleViolation("host_unit.negative_employees", employees=employees)
        return cls(
            name=check_name(name),
            credit_code=credit_code,
            unit_type=unit_type,
            employees=employees,
            region_code=region_code,
            managing_org_id=managing_org_id,
        )

    def record_members(self, policy: Policy, formal: int, total: int, as_of: date) -> None:
        """党员人数 of the unit (正式党员 and all members) as of a date."""
        if formal < 0 or total < formal:
            raise RuleViolation("host_unit.member_counts_inconsistent", formal=formal, total=total)
        self._members_recorded(formal=formal, total=total, as_of=as_of)

    @event("MembersRecorded")
    def _members_recorded(self, formal: int, total: int, as_of: date) -> None:
        self.formal_members = formal
        self.members = total

    def cover(
        self,
        kind: CoverageKind,
        covered_on: date,
        org_id: UUID | None = None,
        org_type: str | None = None,
        instructor: str | None = None,
    ) -> None:
        """Record how the unit is covered: its own organisation, a joint one, or an instructor."""
        if kind in (CoverageKind.STANDALONE, CoverageKind.JOINT) and org_id is None:
            raise RuleViolation("host_unit.coverage_needs_org", coverage=kind.value)
        if kind is CoverageKind.JOINT and org_type != "joint_branch":
            raise RuleViolation("host_unit.joint_needs_joint_branch", org_type=org_type)
        if kind is CoverageKind.INSTRUCTOR and not instructor:
            raise RuleViolation("host_unit.coverage_needs_instructor")
        self._covered(
            coverage=kind.value,
            org_id=org_id if kind is not CoverageKind.INSTRUCTOR else None,
            instructor=instructor if kind is CoverageKind.INSTRUCTOR else None,
            covered_on=covered_on,
        )

    @event("Covered")
    def _covered(
        self, coverage: str, org_id: UUID | None, instructor: str | None, covered_on: date
    ) -> None:
        self.coverage = CoverageKind.of(coverage)
        self.covering_org_id = org_id
        self.instructor = instructor
