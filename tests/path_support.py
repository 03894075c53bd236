"""A person walked along the path in the domain (no I/O): the steps' evidence, in order."""

from __future__ import annotations

import uuid
from datetime import date

import gb11643
from jiceng.calendar import WorkingDayCalendar
from jiceng.personal import PersonalDataSealer
from jiceng.policy import default_catalogue
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.development import Approver, StepInput
from member_lifecycle.domain.evidence import MemberStanding, Vote
from member_lifecycle.domain.person import Gender, Person
from member_lifecycle.domain.stages import ConversionOutcome, Step
from member_lifecycle.domain.step_input import (
    ActivistDesignation,
    AdmissionVote,
    Approval,
    Assessment,
    CandidateDesignation,
    CandidateFiling,
    CommitteeReview,
    ConversionVote,
    Dated,
    Filing,
    GroupPlacement,
    NamedMembers,
    PreReview,
    Review,
    Talk,
    Training,
)

SEALER = PersonalDataSealer(b"k" * 32)
CALENDAR = WorkingDayCalendar.with_overrides()
TODAY = date(2026, 11, 20)
BRANCH = uuid.UUID(int=1)


def rules(pack: str = "national", today: date = TODAY, on: date = TODAY) -> Rules:
    return Rules(default_catalogue().in_force(pack, on), CALENDAR, today, SEALER)


def resident_id(born: date, serial: int = 1) -> str:
    """A 身份证号 valid under GB 11643 for someone born on ``born`` (odd serial: male)."""
    return gb11643.resident_id(born, serial)


def person(
    born: date = date(1990, 3, 7), serial: int = 1, name: str = "张三", branch: uuid.UUID = BRANCH
) -> Person:
    return Person.register(
        sealer=SEALER,
        today=TODAY,
        name=name,
        gender=Gender.MALE if serial % 2 else Gender.FEMALE,
        ethnicity="汉族",
        resident_id=resident_id(born, serial),
        branch_id=branch,
    )


def formal(n: int) -> MemberStanding:
    return MemberStanding(uuid.UUID(int=1000 + n), f"党员{n}", "formal", True)


def vote(entitled: int = 16, present: int = 9, in_favour: int = 9) -> Vote:
    return Vote(entitled=entitled, present=present, in_favour=in_favour)


APPROVER = Approver(uuid.UUID(int=2), "某某党委", True)

#: Each step on its date with the evidence it needs (national pack, no 公示 required).
PATH: list[tuple[Step, StepInput]] = [
    (Step.APPLICATION, Dated(date(2024, 1, 10))),
    (Step.APPLICATION_TALK, Talk(date(2024, 1, 20), body="组织委员", summary="谈话记录")),
    (
        Step.ACTIVIST_DESIGNATION,
        ActivistDesignation(
            date(2024, 2, 1), body="branch_committee", recommendation="party_members"
        ),
    ),
    (Step.ACTIVIST_FILING, Filing(date(2024, 2, 5), body="党委")),
    (Step.CONTACTS_ASSIGNMENT, NamedMembers(date(2024, 2, 10), members=(formal(1), formal(2)))),
    (Step.ACTIVIST_ASSESSMENT, Assessment(date(2024, 8, 1), summary="表现良好")),
    (Step.ACTIVIST_ASSESSMENT, Assessment(date(2025, 1, 20), summary="表现良好")),
    (
        Step.CANDIDATE_DESIGNATION,
        CandidateDesignation(
            date(2025, 2, 1), body="支委会", heard=("contacts", "members", "masses")
        ),
    ),
    (Step.CANDIDATE_FILING, CandidateFiling(date(2025, 2, 5), body="党委")),
    (Step.INTRODUCERS, NamedMembers(date(2025, 2, 10), members=(formal(1), formal(3)))),
    (Step.POLITICAL_REVIEW, Review(date(2025, 3, 1), passed=True, summary="政审合格")),
    (Step.TRAINING, Training(date(2025, 3, 10), body="党校", days=3)),
    (Step.COMMITTEE_REVIEW, CommitteeReview(date(2025, 3, 15), passed=True)),
    (Step.PRE_REVIEW, PreReview(date(2025, 3, 20), passed=True, summary="预审合格", body="党委")),
    (Step.APPLICATION_FORM, Dated(date(2025, 3, 25))),
    (Step.ADMISSION_VOTE, AdmissionVote(date(2025, 4, 1), vote=vote())),
    (Step.UPPER_TALK, Talk(date(2025, 4, 10), body="组织员", summary="谈话记录")),
    (Step.ADMISSION_APPROVAL, Approval(date(2025, 5, 1), approver=APPROVER)),
    (Step.ADMISSION_FILING, Filing(date(2025, 5, 10), body="组织部")),
    (Step.GROUP_PLACEMENT, GroupPlacement(date(2025, 5, 10), group="第一党小组")),
    (Step.OATH, Dated(date(2025, 5, 15))),
    (Step.PROBATION_ASSESSMENT, Assessment(date(2025, 10, 1), summary="表现良好")),
    (Step.CONVERSION_APPLICATION, Dated(date(2026, 3, 20))),
    (
        Step.CONVERSION_VOTE,
        ConversionVote(date(2026, 4, 15), vote=vote(), outcome=ConversionOutcome.CONVERT),
    ),
    (Step.CONVERSION_APPROVAL, Approval(date(2026, 5, 10), approver=APPROVER)),
    (Step.ARCHIVING, Filing(date(2026, 5, 20), body="支部")),
]


def walk(p: Person, until: Step | None = None, pack: str = "national") -> Person:
    """Take the steps of :data:`PATH` in order, stopping before ``until``."""
    for step, given in PATH:
        if step is until:
            break
        p.take_step(step, given, rules(pack))
    return p


def given_for(step: Step) -> StepInput:
    return next(g for s, g in PATH if s is step)
