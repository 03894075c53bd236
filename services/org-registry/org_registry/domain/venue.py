"""An activity venue (党员活动阵地 / 党群服务中心) and its inspection rating."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from jiceng.errors import RuleViolation
from jiceng.policy import Policy
from org_registry.domain.structure import check_name
from org_registry.domain.types import SIX_HAVES, VenueGrade


def check_checklist(checklist: dict[str, bool]) -> dict[str, bool]:
    unknown = sorted(set(checklist) - set(SIX_HAVES))
    if unknown:
        raise RuleViolation("venue.unknown_checklist_items", items=unknown, known=list(SIX_HAVES))
    return {item: bool(checklist.get(item, False)) for item in SIX_HAVES}


class Venue(Aggregate):
    """阵地: area, households served, the 六有 checklist, and its rating after inspection."""

    @event("Registered")
    def __init__(
        self,
        org_id: UUID,
        name: str,
        area_m2: Decimal,
        households_served: int,
        checklist: dict[str, bool],
    ) -> None:
        self.org_id = org_id
        self.name = name
        self.area_m2 = Decimal(area_m2)
        self.households_served = households_served
        self.checklist = checklist
        self.grade: VenueGrade | None = None
        self.rated_on: date | None = None

    @classmethod
    def register(
        cls,
        *,
        org_id: UUID,
        name: str,
        area_m2: Decimal,
        households_served: int,
        checklist: dict[str, bool],
    ) -> Venue:
        if area_m2 <= 0:
            raise RuleViolation("venue.area_not_positive", area_m2=area_m2)
        if households_served < 0:
            raise RuleViolation("venue.negative_households", households=households_served)
        return cls(
            org_id=org_id,
            name=check_name(name),
            area_m2=area_m2,
            households_served=households_served,
            checklist=check_checklist(checklist),
        )

    def update(self, area_m2: Decimal, households_served: int, checklist: dict[str, bool]) -> None:
        if area_m2 <= 0:
            raise RuleViolation("venue.area_not_positive", area_m2=area_m2)
        self._updated(
            area_m2=area_m2,
            households_served=households_served,
            checklist=check_checklist(checklist),
        )

    @event("Updated")
    def _updated(
        self, area_m2: Decimal, households_served: int, checklist: dict[str, bool]
    ) -> None:
        self.area_m2 = Decimal(area_m2)
        self.households_served = households_served
        self.checklist = checklist

    def rate(self, policy: Policy, grade: VenueGrade, inspected_on: date, inspector: str) -> None:
        """评级 after inspection (一类/二类/三类); funding pays rewards from these events."""
        if grade is not VenueGrade.BELOW_STANDARD:
            missing = [item for item, present in self.checklist.items() if not present]
            if missing and policy.get("venue.six_haves") is not None:
                raise RuleViolation(
                    "venue.six_haves_incomplete",
                    missing=missing,
                    rule="venue.six_haves",
                    pack=policy.ref,
                )
            shortfall = area_shortfall(policy, self.area_m2, self.households_served)
            if shortfall is not None:
                raise RuleViolation("venue.area_below_standard", **shortfall)
        self._rated(grade=grade.value, inspected_on=inspected_on, inspector=inspector)

    @event("Rated")
    def _rated(self, grade: str, inspected_on: date, inspector: str) -> None:
        self.grade = VenueGrade.of(grade)
        self.rated_on = inspected_on


def area_shortfall(policy: Policy, area_m2: Decimal, households: int) -> dict[str, object] | None:
    """How far the area falls below the pack's m² per 100 households, if it states one."""
    per_100 = policy.get("venue.min_area_m2_per_100_households")
    if per_100 is None or households == 0:
        return None
    required = Decimal(per_100) * Decimal(households) / Decimal(100)
    if Decimal(area_m2) >= required:
        return None
    return {
        "area_m2": str(area_m2),
        "required_m2": str(required.quantize(Decimal("0.01"))),
        "households": households,
        "rule": "venue.min_area_m2_per_100_households",
        "pack": policy.ref,
    }
