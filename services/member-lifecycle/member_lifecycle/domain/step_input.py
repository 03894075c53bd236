"""What a step is given: its date, deciding body and evidence, and the approving committee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from member_lifecycle.domain.evidence import MemberStanding, Vote
from member_lifecycle.domain.stages import ConversionOutcome


@dataclass(frozen=True)
class Approver:
    """The committee approving an admission or a conversion, as the org tree shows it."""

    org_id: UUID
    name: str
    may_approve: bool
    why_not: str | None = None


@dataclass(frozen=True)
class StepInput:
    """The evidence of one step; which fields a step needs is checked by its rule."""

    on: date
    body: str | None = None  # the deciding body (支委会, 支部大会, 党委...)
    summary: str | None = None  # talk record, conclusion, assessment
    passed: bool | None = None
    members: tuple[MemberStanding, ...] = ()
    vote: Vote | None = None
    days: float | None = None
    hours: float | None = None
    outcome: ConversionOutcome | None = None
    extension_months: int | None = None
    approver: Approver | None = None
    consented: bool | None = None
    heard: tuple[str, ...] = ()
    recommendation: str | None = None
    group: str | None = None
    since: date | None = None  # the start of an absence (自行脱党)
    leaving_unit_on: date | None = None  # a candidate about to leave the unit
    exception: str | None = None  # why a rule that says "normally" is set aside


APPROVING_TYPES = ("committee", "working_committee")
GRASSROOTS_DOMAINS = ("rural", "community")


def approval_power(
    org_id: UUID,
    name: str,
    org_type: str,
    domain: str | None,
    parent: tuple[str, str | None] | None,
    above_branch: bool,
) -> Approver:
    """Whether a committee may approve admissions for a branch (rule book §1).

    Only a 基层党委 (or 党工委) above the branch; not a 党总支 or a temporary branch, and not a
    village or 社区 党委 under a township or street committee (``parent``: its type and domain).
    """
    why = None
    if not above_branch:
        why = "not_above_branch"
    elif org_type not in APPROVING_TYPES:
        why = f"type_{org_type}"
    elif (
        domain in GRASSROOTS_DOMAINS
        and parent is not None
        and parent[0] in APPROVING_TYPES
        and parent[1] in GRASSROOTS_DOMAINS
    ):
        why = "village_or_community_committee"
    return Approver(org_id, name, why is None, why)
