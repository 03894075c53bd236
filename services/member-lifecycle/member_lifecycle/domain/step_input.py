"""What a step is given, one typed shape per kind of step, and the approving committee."""

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


# What each step is given. Many steps share a shape; the table of rules in ``development``
# names the shape each step takes. The field names are the request's, so that the boundary
# building them names a missing field as the request does.


@dataclass(frozen=True)
class Dated:
    """A step with nothing but its date (application, 志愿书, oath, 转正申请)."""

    on: date


@dataclass(frozen=True)
class Talk:
    """A talk (谈话): who talked, and the record of it."""

    on: date
    body: str
    summary: str


@dataclass(frozen=True)
class Filing:
    """A filing with, or a record kept by, a body (备案, 归档)."""

    on: date
    body: str


@dataclass(frozen=True)
class Assessment:
    """An assessment's conclusion (考察)."""

    on: date
    summary: str


@dataclass(frozen=True)
class ActivistDesignation:
    """确定入党积极分子: the deciding body and how the person was recommended."""

    on: date
    body: str | None  # checked by the rule against the bodies that may designate
    recommendation: str | None


@dataclass(frozen=True)
class NamedMembers:
    """Members a step names (培养联系人, 入党介绍人), as the register shows them."""

    on: date
    members: tuple[MemberStanding, ...]


@dataclass(frozen=True)
class CandidateDesignation:
    """确定发展对象: the deciding body and whose opinions were heard."""

    on: date
    body: str
    heard: tuple[str, ...]


@dataclass(frozen=True)
class CandidateFiling:
    """报上级党委备案 of a 发展对象, with the committee's consent where the pack asks it."""

    on: date
    body: str
    consented: bool | None = None


@dataclass(frozen=True)
class Review:
    """政治审查: passed or not, and its conclusion."""

    on: date
    passed: bool
    summary: str


@dataclass(frozen=True)
class CommitteeReview:
    """支部委员会审查: passed or not (a conclusion if the committee wrote one)."""

    on: date
    passed: bool
    summary: str | None = None


@dataclass(frozen=True)
class PreReview:
    """上级党委预审: passed or not, its result, and the reviewing committee."""

    on: date
    passed: bool
    summary: str
    body: str


@dataclass(frozen=True)
class Training:
    """集中培训: who gave it, and its length in days or hours (学时)."""

    on: date
    body: str
    days: float = 0.0
    hours: float = 0.0


@dataclass(frozen=True)
class AdmissionVote:
    """支部大会 on admission: the vote, the voters on the roll, and a candidate leaving the
    unit soon (with why they are admitted all the same)."""

    on: date
    vote: Vote
    members: tuple[MemberStanding, ...] = ()
    leaving_unit_on: date | None = None
    exception: str | None = None


@dataclass(frozen=True)
class ConversionVote:
    """支部大会 on 转正: the vote, its outcome and an extension's months."""

    on: date
    vote: Vote
    outcome: ConversionOutcome
    members: tuple[MemberStanding, ...] = ()
    extension_months: int | None = None


@dataclass(frozen=True)
class Approval:
    """上级党委审批: the approving committee."""

    on: date
    approver: Approver


@dataclass(frozen=True)
class GroupPlacement:
    """编入党小组."""

    on: date
    group: str


#: Every step's input.
StepInput = (
    Dated
    | Talk
    | Filing
    | Assessment
    | ActivistDesignation
    | NamedMembers
    | CandidateDesignation
    | CandidateFiling
    | Review
    | CommitteeReview
    | PreReview
    | Training
    | AdmissionVote
    | ConversionVote
    | Approval
    | GroupPlacement
)


# What an exit is given, by its kind.


@dataclass(frozen=True)
class ExitStatement:
    """退党 (the request and the meeting) or 开除党籍 (the disciplinary decision and who took
    it): the text, and the body."""

    on: date
    summary: str
    body: str


@dataclass(frozen=True)
class Death:
    """A member's death, and who reported it."""

    on: date
    body: str | None = None


@dataclass(frozen=True)
class Lapse:
    """自行脱党: voted and approved; outside a 停止党籍, also the absence (``summary`` names
    what was missed, ``since`` when it began)."""

    on: date
    vote: Vote
    approver: Approver
    members: tuple[MemberStanding, ...] = ()
    summary: str | None = None
    since: date | None = None


@dataclass(frozen=True)
class Disposal:
    """劝退 or 除名 of a 不合格党员, voted and approved (``passed`` False: 劝退 refused)."""

    on: date
    vote: Vote
    approver: Approver
    members: tuple[MemberStanding, ...] = ()
    passed: bool | None = None


ExitInput = ExitStatement | Death | Lapse | Disposal


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
