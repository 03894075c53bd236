"""The events member-lifecycle publishes, as its feed serves them (typed payloads).

The feed serves canonical JSON: dates and ids are strings. These types are what the people
projection and the counting reaction read, and what other readers may rely on; the tests
check the events the aggregates really write against them. ``OrgMembership.Counted``, which
other services follow, is typed in the kernel copy it feeds (:mod:`jiceng.membercounts`).

The person events are typed as the feed's JSON, not parsed into objects: the people
projection folds every one of them, and copies their values as they are.

Changing a name or a payload field here is a breaking change for every reader.
"""

from __future__ import annotations

from typing import NotRequired, cast

from typing_extensions import TypedDict

from jiceng.eventlog.records import FeedEvent
from jiceng.membercounts.contract import MEMBERS_COUNTED, STREAM, MembersCounted

__all__ = [
    "MEMBERS_COUNTED",
    "PERSON_RECORDED",
    "STREAM",
    "MembersCounted",
    "PersonChanges",
    "PersonRecorded",
    "PersonRegistered",
    "ProfileRevised",
    "person_recorded",
    "person_registered",
    "profile_revised",
]

REGISTERED = "Person.Registered"
PROFILE_REVISED = "Person.ProfileRevised"
#: The events of a person's path and membership: each records ``on``, ``evidence`` and
#: ``changes`` (and ``step``, ``action`` or ``kind`` by its type).
PERSON_RECORDED = frozenset(
    {
        "Person.StepRecorded",
        "Person.NoticeRecorded",
        "Person.TransferRecorded",
        "Person.MobilityRecorded",
        "Person.StandingRecorded",
        "Person.MembershipImported",
        "Person.Exited",
    }
)


class ImportSource(TypedDict):
    """The spreadsheet row a record came from."""

    file: str
    sheet: str
    row: int
    sha256: str


class PersonRegistered(TypedDict):
    """``Person.Registered``: the 身份证号 and phone sealed (only this service opens them),
    short masks, no birth date. Version 1 also had ``birth_date`` and longer masks (readers
    shorten them); version 3 added ``source``."""

    fingerprint: str
    name: str
    gender: str
    ethnicity: str
    resident_id_sealed: str
    resident_id_masked: str
    phone_sealed: str | None
    phone_masked: str | None
    education: str | None
    occupation: str | None
    work_unit: str | None
    branch_id: str
    source: NotRequired[ImportSource | None]
    class_version: NotRequired[int]
    birth_date: NotRequired[str]


class ProfileRevised(TypedDict):
    """``Person.ProfileRevised``: the profile fields that changed (``None``: unchanged)."""

    name: str | None
    ethnicity: str | None
    phone_sealed: str | None
    phone_masked: str | None
    education: str | None
    occupation: str | None
    work_unit: str | None
    source: ImportSource | None


class Notice(TypedDict):
    starts_on: str
    ends_on: str
    working_days: int
    status: str
    objections: int


class Transfer(TypedDict):
    from_id: str
    to_id: str
    to_name: str | None
    sent_on: str
    letter: str
    valid_until: str


class Outflow(TypedDict):
    left_on: str
    destination: str
    certificate: str


class Rectification(TypedDict):
    ordered_on: str
    until: str
    status: str


class PersonChanges(TypedDict, total=False):
    """What the event set on the person (absent: unchanged); dates ISO, ``due`` by kind."""

    stage: str
    cycle: int
    steps: dict[str, str]
    due: dict[str, str]
    notices: dict[str, Notice]
    applied_on: str | None
    activist_since: str | None
    candidate_since: str | None
    admission_vote_on: str | None
    admitted_on: str | None
    membership_since: str | None
    probation_ends_on: str | None
    formal_since: str | None
    extensions: int
    political_review_passed: bool | None
    committee_review_passed: bool | None
    pre_review_passed: bool | None
    training_days: float
    training_hours: float
    conversion_outcome: str | None
    conversion_extension_months: int | None
    conversion_vote_on: str | None
    conversion_postponed_months: int | None
    transferred_in_on: str | None
    standing: str
    lost_contact_since: str | None
    suspended_on: str | None
    transfer: Transfer | None
    outflow: Outflow | None
    rectification: Rectification | None
    party_probation_until: str | None
    exit_kind: str | None
    exited_on: str | None
    branch_id: str


class Before(TypedDict):
    stage: str
    branch_id: str


class Vote(TypedDict):
    """A 支部大会 vote as recorded (the keys readers use; the event holds the counts too)."""

    entitled: int
    register_entitled: int | None
    entitled_reason: str | None
    entitled_differs: bool


class Evidence(TypedDict, total=False):
    """The evidence keys other code reads; each step or action records more of its own
    (see ``domain/step_evidence.py`` and ``domain/action_evidence.py``)."""

    before: Before  # where the person was, when the event moved their stage or branch
    vote: Vote


class PersonRecorded(TypedDict):
    """One of :data:`PERSON_RECORDED`."""

    on: str
    evidence: Evidence
    changes: PersonChanges
    step: NotRequired[str]  # StepRecorded
    action: NotRequired[str]  # NoticeRecorded, TransferRecorded, MobilityRecorded, ...
    kind: NotRequired[str]  # Exited


def person_registered(event: FeedEvent) -> PersonRegistered:
    return cast(PersonRegistered, _of(event, REGISTERED))


def profile_revised(event: FeedEvent) -> ProfileRevised:
    return cast(ProfileRevised, _of(event, PROFILE_REVISED))


def person_recorded(event: FeedEvent) -> PersonRecorded:
    if event.type not in PERSON_RECORDED:
        msg = f"not a person's recorded event: {event.type}"
        raise ValueError(msg)
    return cast(PersonRecorded, event.payload)


def _of(event: FeedEvent, name: str) -> dict[str, object]:
    if event.type != name:
        msg = f"not {name}: {event.type}"
        raise ValueError(msg)
    return event.payload
