"""What a rule decides: the evidence to record and the state it changes.

Commands compute a :class:`Decision` from the state, the policy pack in force, the working-day
calendar and the evidence; the event records it, and replaying the event applies ``changes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from jiceng.calendar import WorkingDayCalendar
from jiceng.errors import InvalidInput
from jiceng.personal import PersonalDataSealer
from jiceng.policy import Policy


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


@dataclass
class Decision:
    evidence: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)
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
    notices: dict[str, dict[str, Any]]
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
    transfer: dict[str, Any] | None
    outflow: dict[str, Any] | None
    rectification: dict[str, Any] | None
    party_probation_until: date | None
    exit_kind: str | None
    transferred_in_on: date | None
    conversion_postponed_months: int | None

    def birth_date(self, sealer: PersonalDataSealer) -> date: ...


def require(value: Any, field_name: str) -> Any:
    """Evidence the step cannot be recorded without."""
    if value is None or value == "" or value == ():
        raise InvalidInput("evidence.missing", field=field_name)
    return value


def due_with(state: PersonState, **updates: date | None) -> dict[str, date]:
    """The person's deadlines with ``updates`` applied (``None`` clears one)."""
    due = dict(state.due)
    for kind, day in updates.items():
        if day is None:
            due.pop(kind, None)
        else:
            due[kind] = day
    return due
