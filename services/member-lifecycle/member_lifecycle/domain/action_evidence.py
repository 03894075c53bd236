"""What the events of a person's membership keep as evidence, per action (the stored keys,
typed): 公示, transfers, mobility, standing, exits, and a member imported from before."""

from __future__ import annotations

from datetime import date
from typing import NotRequired

from member_lifecycle.domain.changes import (
    OutflowState,
    Recorded,
    RectificationState,
    TransferState,
)
from member_lifecycle.domain.evidence import VoteRecord
from member_lifecycle.domain.step_evidence import ApproverRecord

# 公示 (``NoticeRecorded``) -------------------------------------------------------------


class NoticeStarted(Recorded):
    point: str
    required_by_pack: bool
    starts_on: date
    ends_on: date
    working_days: int
    status: str
    objections: int


class ObjectionReceived(Recorded):
    point: str
    objection: str


class ObjectionConcluded(Recorded):
    point: str
    upheld: bool
    conclusion: str


NoticeEvidence = NoticeStarted | ObjectionReceived | ObjectionConcluded

# 组织关系转接 (``TransferRecorded``) -----------------------------------------------------


class TransferSent(TransferState, Recorded):
    pass


class TransferAccepted(TransferState, Recorded):
    accepted_on: date
    late: bool


class TransferReturned(TransferState, Recorded):
    returned_on: date
    reason: str


class ConversionPostponed(Recorded):
    months: int
    why: str
    discussion_due: date


class MovedByMerger(Recorded):
    from_id: str
    to_id: str
    merged_on: date


TransferEvidence = (
    TransferSent | TransferAccepted | TransferReturned | ConversionPostponed | MovedByMerger
)

# 流动党员 (``MobilityRecorded``) ---------------------------------------------------------


class OutflowRegistered(OutflowState, Recorded):
    pass


class OutflowContacted(Recorded):
    contacted_on: date


class OutflowEnded(OutflowState, Recorded):
    returned_on: date


MobilityEvidence = OutflowRegistered | OutflowContacted | OutflowEnded

# Standing (``StandingRecorded``) --------------------------------------------------------


class LostContact(Recorded):
    since: date
    review_from: date


class Suspended(Recorded):
    since: date
    body: str
    lapse_review_from: date


class Restored(Recorded):
    found_on: date
    was: str
    since: date


class RectificationOrdered(RectificationState, Recorded):
    pass


class RectificationConcluded(RectificationState, Recorded):
    concluded_on: date
    improved: bool


class PartyProbation(Recorded):
    decided_on: date
    until: date
    decision: str


StandingEvidence = (
    LostContact
    | Suspended
    | Restored
    | RectificationOrdered
    | RectificationConcluded
    | PartyProbation
)

# Exits (``Exited``) and members from before the system (``MembershipImported``) ----------


class ExitEvidence(Recorded):
    """Every exit: its kind, date and the stage left; then what its kind asks for."""

    kind: str
    on: date
    stage_before: str
    request: NotRequired[str]  # 退党
    decision: NotRequired[str]  # 开除党籍: the disciplinary decision
    body: NotRequired[str]
    reported_by: NotRequired[str | None]  # death
    basis: NotRequired[str]  # 自行脱党: suspended, or what was missed
    rectification: NotRequired[RectificationState]  # 劝退, 除名
    refused_persuasion: NotRequired[bool]
    vote: NotRequired[VoteRecord]
    approved_by: NotRequired[ApproverRecord]


class ImportedMembership(Recorded):
    source: str
    admitted_on: date
    applied_on: NotRequired[date]
