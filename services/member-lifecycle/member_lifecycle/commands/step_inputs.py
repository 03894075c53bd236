"""From a request to the typed input a step's (or an exit's) rule takes.

A request names its evidence in a handful of optional fields; which of them a step needs
depends on the step (``development.RULES`` names the input it takes). A field the step
cannot be recorded without is refused here, at the boundary, as ``evidence.missing`` with
the request's field name; the rules then take their input whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from jiceng.errors import InvalidInput
from member_lifecycle.domain.development import RULES
from member_lifecycle.domain.evidence import MemberStanding, Vote
from member_lifecycle.domain.stages import ConversionOutcome, ExitKind, Step
from member_lifecycle.domain.step_input import (
    ActivistDesignation,
    AdmissionVote,
    Approval,
    Approver,
    Assessment,
    CandidateDesignation,
    CandidateFiling,
    CommitteeReview,
    ConversionVote,
    Dated,
    Death,
    Disposal,
    ExitInput,
    ExitStatement,
    Filing,
    GroupPlacement,
    Lapse,
    NamedMembers,
    PreReview,
    Review,
    StepInput,
    Talk,
    Training,
)

T = TypeVar("T")


@dataclass(frozen=True)
class StepFields:
    """What a step's request gives besides the members, vote and approver it names."""

    on: date
    body: str | None = None  # the deciding body (支委会, 支部大会, 党委...)
    summary: str | None = None  # talk record, conclusion, assessment
    passed: bool | None = None
    days: float | None = None
    hours: float | None = None
    outcome: ConversionOutcome | None = None
    extension_months: int | None = None
    consented: bool | None = None
    heard: tuple[str, ...] = ()
    recommendation: str | None = None
    group: str | None = None
    since: date | None = None  # the start of an absence (自行脱党)
    leaving_unit_on: date | None = None  # a candidate about to leave the unit
    exception: str | None = None  # why a rule that says "normally" is set aside


@dataclass(frozen=True)
class Named:
    """Who and what the request names, as the register and the org tree show them."""

    members: tuple[MemberStanding, ...] = ()
    vote: Vote | None = None
    approver: Approver | None = None


def need(value: T | None, field: str) -> T:
    """Evidence the step cannot be recorded without (the request's field name)."""
    if value is None or value == "" or value == ():
        raise InvalidInput("evidence.missing", field=field)
    return value


def _talk(f: StepFields, n: Named) -> Talk:
    return Talk(f.on, need(f.body, "body"), need(f.summary, "summary"))


def _conversion_vote(f: StepFields, n: Named) -> ConversionVote:
    outcome = need(f.outcome, "outcome")
    vote = need(n.vote, "vote")
    return ConversionVote(f.on, vote, outcome, n.members, f.extension_months)


BUILDERS: dict[type[Any], Callable[[StepFields, Named], StepInput]] = {
    Dated: lambda f, n: Dated(f.on),
    Talk: _talk,
    Filing: lambda f, n: Filing(f.on, need(f.body, "body")),
    Assessment: lambda f, n: Assessment(f.on, need(f.summary, "summary")),
    ActivistDesignation: lambda f, n: ActivistDesignation(f.on, f.body, f.recommendation),
    NamedMembers: lambda f, n: NamedMembers(f.on, n.members),
    CandidateDesignation: lambda f, n: CandidateDesignation(f.on, need(f.body, "body"), f.heard),
    CandidateFiling: lambda f, n: CandidateFiling(f.on, need(f.body, "body"), f.consented),
    Review: lambda f, n: Review(f.on, need(f.passed, "passed"), need(f.summary, "summary")),
    CommitteeReview: lambda f, n: CommitteeReview(f.on, need(f.passed, "passed"), f.summary),
    PreReview: lambda f, n: PreReview(
        f.on, need(f.passed, "passed"), need(f.summary, "summary"), need(f.body, "body")
    ),
    Training: lambda f, n: Training(f.on, need(f.body, "body"), f.days or 0.0, f.hours or 0.0),
    AdmissionVote: lambda f, n: AdmissionVote(
        f.on, need(n.vote, "vote"), n.members, f.leaving_unit_on, f.exception
    ),
    ConversionVote: _conversion_vote,
    Approval: lambda f, n: Approval(f.on, need(n.approver, "approver")),
    GroupPlacement: lambda f, n: GroupPlacement(f.on, need(f.group, "group")),
}


def step_input(step: Step, fields: StepFields, named: Named = Named()) -> StepInput:
    """The input ``step``'s rule takes, from the request."""
    return BUILDERS[RULES[step].takes](fields, named)


def exit_input(kind: ExitKind, fields: StepFields, named: Named = Named()) -> ExitInput:
    """The input an exit of ``kind`` takes, from the request."""
    f, n = fields, named
    if kind in (ExitKind.WITHDRAWAL, ExitKind.EXPELLED):
        return ExitStatement(f.on, need(f.summary, "summary"), need(f.body, "body"))
    if kind is ExitKind.DECEASED:
        return Death(f.on, f.body)
    if kind is ExitKind.LAPSED:
        vote, approver = need(n.vote, "vote"), need(n.approver, "approver")
        return Lapse(f.on, vote, approver, n.members, f.summary, f.since)
    if kind in (ExitKind.PERSUADED, ExitKind.REMOVED):
        vote, approver = need(n.vote, "vote"), need(n.approver, "approver")
        return Disposal(f.on, vote, approver, n.members, f.passed)
    raise InvalidInput("membership.exit_kind_invalid", kind=kind.value)
