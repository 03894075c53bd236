"""Structural alerts: where the tree's shape no longer fits its members (DOMAIN §1).

Computed from member counts member-lifecycle publishes; each alert names its rule and pack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jiceng.policy import Policy
from org_registry.domain.types import OrgType


@dataclass(frozen=True)
class OrgFacts:
    id: str
    name: str
    path: str
    org_type: OrgType
    domain: str | None
    student_branch: bool
    has_committee: bool
    formal: int | None  # 正式党员 directly in this organisation; None: not yet known
    probationary: int | None


@dataclass(frozen=True)
class Alert:
    org_id: str
    org_name: str
    code: str
    rule: str
    pack: str
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Totals:
    formal: int = 0
    probationary: int = 0
    known: bool = False


def subtree_totals(facts: Iterable[OrgFacts]) -> dict[str, _Totals]:
    """Members of each organisation's whole subtree (its own plus its descendants')."""
    totals: dict[str, _Totals] = {}
    for org in facts:
        if org.formal is None:
            continue
        for ancestor in org.path.strip("/").split("/"):
            total = totals.setdefault(ancestor, _Totals())
            total.formal += org.formal
            total.probationary += org.probationary or 0
            total.known = True
    return totals


def structural_alerts(
    facts: list[OrgFacts], policy_for: Callable[[OrgFacts], Policy]
) -> list[Alert]:
    totals = subtree_totals(facts)
    alerts: list[Alert] = []
    for org in facts:
        total = totals.get(org.id)
        if total is None or not total.known:
            continue
        policy = policy_for(org)
        alerts += _alerts_for(org, total, policy)
    return alerts


def _alerts_for(org: OrgFacts, total: _Totals, policy: Policy) -> list[Alert]:
    found: list[Alert] = []

    def alert(code: str, key: str, **numbers: Any) -> None:
        rule = policy.rule(key)
        found.append(
            Alert(org.id, org.name, code, rule.key, rule.pack, {**numbers, "threshold": rule.value})
        )

    members = total.formal + total.probationary
    if org.org_type.is_branch:
        required = policy.rule("org.branch_committee_required_at")
        if total.formal >= required.value and not org.has_committee:
            alert("org.committee_missing", required.key, formal=total.formal)
        size_key = "org.branch_size_max"
        if org.student_branch and policy.get("org.student_branch_size_max") is not None:
            size_key = "org.student_branch_size_max"
        if members > policy.value(size_key):
            alert("org.branch_oversized", size_key, members=members)
    exempt = org.org_type in (OrgType.JOINT_BRANCH, OrgType.PARTY_GROUP)
    if not exempt and total.formal < policy.value("org.min_formal_members"):
        alert("org.too_few_formal_members", "org.min_formal_members", formal=total.formal)
    exempt_domains = policy.get("org.size_for_type_exempt_domains", [])
    if org.org_type is OrgType.GENERAL_BRANCH and org.domain not in exempt_domains:
        if members <= policy.value("org.general_branch_above"):
            alert("org.too_small_for_type", "org.general_branch_above", members=members)
        elif members > policy.value("org.committee_above"):
            alert("org.large_enough_for_committee", "org.committee_above", members=members)
    small = members <= policy.value("org.committee_above")
    if org.org_type is OrgType.COMMITTEE and small and org.domain not in exempt_domains:
        alert("org.too_small_for_type", "org.committee_above", members=members)
    return found
