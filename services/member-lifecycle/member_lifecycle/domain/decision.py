"""What a rule decides: the evidence to record and the state it changes.

A person's command computes a :class:`Decision` from the state, the policy pack in force, the
working-day calendar and its typed input; the event records it, and replaying the event
applies ``changes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar
from uuid import UUID

from jiceng.calendar import WorkingDayCalendar
from jiceng.personal import PersonalDataSealer
from jiceng.policy import Policy
from member_lifecycle.domain.changes import (
    NoticeState,
    OutflowState,
    PersonChanges,
    Recorded,
    RectificationState,
    TransferState,
)


@dataclass(frozen=True)
class Rules:
    """What every rule takes besides the state: the pack, the calendar and today's date."""

    policy: Policy
    calendar: WorkingDayCalendar
    today: date
    #: Opens sealed personal data a rule needs (the birth date in the 身份证号).
    sealer: PersonalDataSealer | None = None

    def personal(self) -> PersonalDataSealer:
        if self.sealer is None:  # pragma: no cover - every composition root gives one
            msg = "a rule needs personal data but no sealer was given"
            raise RuntimeError(msg)
        return self.sealer


E = TypeVar("E", bound=Recorded, covariant=True)


@dataclass(frozen=True)
class Decision(Generic[E]):
    """The evidence an event records (typed per step or action) and what it changes."""

    evidence: E
    changes: PersonChanges
    record_step: bool = True  # False when the step undoes itself (an extended 预备期)


class PersonState(Protocol):
    """The attributes of a person the rules read (see :class:`~.person.Person`)."""

    @property
    def id(self) -> UUID: ...

    branch_id: UUID
    stage: str
    cycle: int
    steps: dict[str, date]
    due: dict[str, date]
    notices: dict[str, NoticeState]
    activist_since: date | None
    admission_vote_on: date | None
    probation_ends_on: date | None
    extensions: int
    political_review_passed: bool | None
    committee_review_passed: bool | None
    pre_review_passed: bool | None
    training_days: float
    training_hours: float
    conversion_outcome: str | None
    conversion_extension_months: int | None
    standing: str
    lost_contact_since: date | None
    suspended_on: date | None
    transfer: TransferState | None
    outflow: OutflowState | None
    rectification: RectificationState | None
    party_probation_until: date | None
    exit_kind: str | None
    transferred_in_on: date | None
    conversion_postponed_months: int | None

    def birth_date(self, sealer: PersonalDataSealer) -> date: ...


def due_with(state: PersonState, **updates: date | None) -> dict[str, date]:
    """The person's deadlines with ``updates`` applied (``None`` clears one)."""
    due = dict(state.due)
    for kind, day in updates.items():
        if day is None:
            due.pop(kind, None)
        else:
            due[kind] = day
    return due
