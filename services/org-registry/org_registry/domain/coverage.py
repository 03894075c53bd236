"""Coverage of host units by Party organisations (两新组织覆盖), as rates and the lists behind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jiceng.policy import Policy
from org_registry.domain.types import CoverageKind


@dataclass(frozen=True)
class UnitFacts:
    id: str
    name: str
    credit_code: str
    region_code: str
    formal_members: int
    members: int
    coverage: CoverageKind


@dataclass(frozen=True)
class Rate:
    """``covered`` of ``eligible`` units; the units behind both numbers."""

    covered: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> int:
        return len(self.covered) + len(self.uncovered)

    @property
    def rate(self) -> Decimal | None:
        if not self.eligible:
            return None
        ratio = Decimal(len(self.covered)) / Decimal(self.eligible)
        return ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CoverageReport:
    standalone: Rate  # 单独组建率: units with ≥3 正式党员 that have their own organisation
    organisation: Rate  # 组织覆盖率: units with members covered by their own or a joint one
    work: Rate  # 工作覆盖率: all units covered by an organisation or an instructor
    threshold: int
    pack: str


def coverage_report(units: Iterable[UnitFacts], policy: Policy) -> CoverageReport:
    rule = policy.rule("coverage.standalone_min_formal_members")
    standalone, organisation, work = Rate(), Rate(), Rate()
    for unit in units:
        if unit.formal_members >= rule.value:
            target = (
                standalone.covered
                if unit.coverage is CoverageKind.STANDALONE
                else (standalone.uncovered)
            )
            target.append(unit.id)
        if unit.members > 0:
            has_org = unit.coverage in (CoverageKind.STANDALONE, CoverageKind.JOINT)
            (organisation.covered if has_org else organisation.uncovered).append(unit.id)
        (work.covered if unit.coverage is not CoverageKind.NONE else work.uncovered).append(unit.id)
    return CoverageReport(standalone, organisation, work, rule.value, rule.pack)
