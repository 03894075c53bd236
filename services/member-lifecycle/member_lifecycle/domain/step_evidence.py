"""What a ``StepRecorded`` event keeps as evidence, per step (the stored keys, typed).

Every step records its number and who decides it; the rest depends on the step. These are
the payload's own keys: the shapes only name them, the stored JSON is what it always was.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from member_lifecycle.domain.changes import Recorded
from member_lifecycle.domain.evidence import MemberRecord, VoteRecord


class StepRecord(Recorded):
    """Every step: its number in the rule book and who decides it."""

    step_number: int
    decided_by: str


class ApplicationEvidence(StepRecord):
    talk_due_on: date


class Timeliness(TypedDict, total=False):
    """A step with a deadline on the to-do list: when it was due, and whether it was met."""

    due_on: date
    on_time: bool


class Timely(StepRecord, Timeliness):
    pass


class TalkEvidence(StepRecord):
    talker: str
    record: str


class ApplicationTalkEvidence(TalkEvidence, Timeliness):
    pass


class DesignationEvidence(StepRecord):
    body: str
    recommendation: str


class FilingEvidence(StepRecord):
    filed_with: str


class ContactsEvidence(StepRecord):
    contacts: list[MemberRecord]


class AssessmentEvidence(Timely):
    conclusion: str


class CandidateEvidence(StepRecord):
    body: str
    heard: list[str]


class CandidateFilingEvidence(FilingEvidence):
    mode: str  # the pack's: record (备案) or consent (同意)
    consented: bool | None


class IntroducersEvidence(StepRecord):
    introducers: list[MemberRecord]


class ReviewEvidence(StepRecord):
    passed: bool
    conclusion: str | None


class PreReviewEvidence(StepRecord):
    passed: bool
    result: str
    reviewed_by: str


class TrainingEvidence(StepRecord):
    provider: str
    days: float
    hours: float
    total_days: float
    total_hours: float


class LeavingSoon(TypedDict, total=False):
    """A candidate admitted although leaving the unit soon, and why."""

    leaving_unit_on: date
    exception: str


class AdmissionVoteEvidence(StepRecord, LeavingSoon):
    vote: VoteRecord


class ApproverRecord(TypedDict):
    org_id: str
    name: str


class ApprovalEvidence(StepRecord):
    """An approval, and how long after the vote it came (tracked, never blocking)."""

    approved_by: ApproverRecord
    within_limit: bool
    limit_on: date
    beyond_maximum: bool
    maximum_on: date


class AdmissionApprovalEvidence(ApprovalEvidence):
    probation_from: date
    probation_ends_on: date


class GroupEvidence(StepRecord):
    group: str


class ProbationAssessmentEvidence(StepRecord):
    conclusion: str


class ConversionApplicationEvidence(StepRecord):
    probation_ends_on: date | None
    written: bool


class ConversionVoteEvidence(StepRecord):
    vote: VoteRecord
    outcome: str
    extension_months: int | None


class ConversionCancelled(ApprovalEvidence):
    outcome: str


class Converted(ConversionCancelled):
    formal_since: date  # back-dated to the end of the 预备期


class ProbationExtended(ConversionCancelled):
    previous_end: date
    probation_ends_on: date


ConversionApprovalEvidence = Converted | ProbationExtended | ConversionCancelled


class ArchivingEvidence(StepRecord):
    archived_by: str


StepEvidence = (
    StepRecord
    | ApplicationEvidence
    | TalkEvidence
    | ApplicationTalkEvidence
    | DesignationEvidence
    | FilingEvidence
    | ContactsEvidence
    | AssessmentEvidence
    | CandidateEvidence
    | CandidateFilingEvidence
    | IntroducersEvidence
    | ReviewEvidence
    | PreReviewEvidence
    | TrainingEvidence
    | AdmissionVoteEvidence
    | AdmissionApprovalEvidence
    | GroupEvidence
    | ProbationAssessmentEvidence
    | ConversionApplicationEvidence
    | ConversionVoteEvidence
    | Converted
    | ProbationExtended
    | ConversionCancelled
    | ArchivingEvidence
)
