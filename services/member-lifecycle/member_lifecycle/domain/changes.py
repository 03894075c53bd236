"""What a person's path events change (``changes`` in the stored payload), field by field.

Every ``*Recorded``, ``MembershipImported`` and ``Exited`` event stores the attributes it sets
as one mapping; replaying the event sets them again. :class:`PersonChanges` lists every
attribute such an event may set, with its type, and :func:`apply_changes` sets only those.
"""

from __future__ import annotations

from datetime import date
from typing import NotRequired, TypedDict
from uuid import UUID


class NoticeState(TypedDict):
    """A 公示 held before a decision (see :mod:`.notices`)."""

    starts_on: date
    ends_on: date
    working_days: int
    status: str  # running, suspended (an objection is open), failed (one was upheld)
    objections: int


class TransferState(TypedDict):
    """A pending 组织关系转接: the letter sent, until the receiving branch acts on it."""

    from_id: str
    to_id: str
    to_name: str | None  # None where the sender may not read the destination's name
    sent_on: date
    letter: str
    valid_until: date


class OutflowState(TypedDict):
    """A 流动党员 away from the branch, with their 流动党员活动证."""

    left_on: date
    destination: str
    certificate: str


class RectificationState(TypedDict):
    """限期改正: ordered, then concluded improved or not."""

    ordered_on: date
    until: date
    status: str  # ordered, improved, not_improved


class PersonChanges(TypedDict, total=False):
    """Every attribute of a person's path an event may set (absent: unchanged)."""

    stage: str
    cycle: int
    steps: dict[str, date]
    due: dict[str, date]
    notices: dict[str, NoticeState]
    applied_on: date | None
    activist_since: date | None
    candidate_since: date | None
    admission_vote_on: date | None
    admitted_on: date | None
    membership_since: date | None
    probation_ends_on: date | None
    formal_since: date | None
    extensions: int
    political_review_passed: bool | None
    committee_review_passed: bool | None
    pre_review_passed: bool | None
    training_days: float
    training_hours: float
    conversion_outcome: str | None
    conversion_extension_months: int | None
    conversion_vote_on: date | None
    conversion_postponed_months: int | None
    transferred_in_on: date | None
    standing: str
    lost_contact_since: date | None
    suspended_on: date | None
    transfer: TransferState | None
    outflow: OutflowState | None
    rectification: RectificationState | None
    party_probation_until: date | None
    exit_kind: str | None
    exited_on: date | None
    branch_id: UUID


#: The attributes :func:`apply_changes` may set.
PERSON_FIELDS = PersonChanges.__optional_keys__


def apply_changes(person: object, changes: PersonChanges) -> None:
    """Set the declared attributes ``changes`` names on ``person``.

    A key outside :class:`PersonChanges` is never set: an event cannot reach the identity,
    the sealed data or the aggregate's own bookkeeping, whatever its payload holds.
    """
    for name, value in changes.items():
        if name in PERSON_FIELDS:
            setattr(person, name, value)


class Before(TypedDict):
    """Where the person was before an event moved their stage or branch (followers count
    from it: see the counting reaction)."""

    stage: str
    branch_id: str


class RowOrigin(TypedDict):
    """The spreadsheet row an imported record came from."""

    file: str
    sheet: str
    row: int
    sha256: str


class Recorded(TypedDict):
    """What the evidence of every path event may carry besides its own."""

    before: NotRequired[Before]
    origin: NotRequired[RowOrigin]


#: Evidence with nothing of its own yet, to build from a state (``{**RECORDED, **state}``):
#: a ``before`` or ``origin`` is added as the event is triggered.
RECORDED: Recorded = {}
