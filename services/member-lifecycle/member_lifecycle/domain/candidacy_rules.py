"""Steps 1–14 of 发展党员: from the application to the 入党志愿书 (rule book §2).

Each rule takes the state, its typed input, the rules in force and the evidence every step
records (``base``), and returns what it decides; its numbers come from the policy pack.
"""

from __future__ import annotations

from datetime import date

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with
from member_lifecycle.domain.evidence import MemberStanding, add_months, full_years_reached
from member_lifecycle.domain.stages import MAY_REAPPLY, DeadlineKind, ExitKind, Stage
from member_lifecycle.domain.step_evidence import (
    ApplicationEvidence,
    ApplicationTalkEvidence,
    AssessmentEvidence,
    CandidateEvidence,
    CandidateFilingEvidence,
    ContactsEvidence,
    DesignationEvidence,
    FilingEvidence,
    IntroducersEvidence,
    PreReviewEvidence,
    ReviewEvidence,
    StepRecord,
    Timeliness,
    TrainingEvidence,
)
from member_lifecycle.domain.step_input import (
    ActivistDesignation,
    Assessment,
    CandidateDesignation,
    CandidateFiling,
    CommitteeReview,
    Dated,
    Filing,
    NamedMembers,
    PreReview,
    Review,
    Talk,
    Training,
)


def application(
    state: PersonState, given: Dated, rules: Rules, base: StepRecord
) -> Decision[ApplicationEvidence]:
    if state.stage == Stage.EXITED and state.exit_kind not in MAY_REAPPLY:
        raise RuleViolation("development.may_not_reapply", exit=ExitKind.of(state.exit_kind).label)
    min_age = rules.policy.value("development.min_age_years")
    born = state.birth_date(rules.personal())
    if not full_years_reached(born, min_age, given.on):
        # Neither the age nor the day of coming of age: tried on chosen dates, either would
        # give back the birth date, the sealed part of the 身份证号, without a disclosure.
        raise RuleViolation(
            "development.applicant_too_young", min_age=min_age, on=given.on, pack=rules.policy.ref
        )
    talk_due = add_months(given.on, rules.policy.value("development.talk_within_months"))
    # A new cycle: what an earlier one recorded (an exit, a cancelled 预备期) starts over.
    return Decision(
        {**base, "talk_due_on": talk_due},
        {
            "steps": {},
            "cycle": state.cycle + 1,
            "applied_on": given.on,
            "activist_since": None,
            "candidate_since": None,
            "admission_vote_on": None,
            "admitted_on": None,
            "probation_ends_on": None,
            "formal_since": None,
            "extensions": 0,
            "political_review_passed": None,
            "committee_review_passed": None,
            "pre_review_passed": None,
            "training_days": 0.0,
            "training_hours": 0.0,
            "conversion_outcome": None,
            "conversion_extension_months": None,
            "notices": {},
            "exit_kind": None,
            "exited_on": None,
            "transferred_in_on": None,
            "conversion_postponed_months": None,
            "due": {DeadlineKind.APPLICATION_TALK.value: talk_due},
        },
    )


def on_time(state: PersonState, kind: DeadlineKind, on: date) -> Timeliness:
    """The deadline a step had and whether it was met (tracked, never blocking)."""
    due = state.due.get(kind.value)
    if due is None:
        return {}
    return {"due_on": due, "on_time": on <= due}


def application_talk(
    state: PersonState, given: Talk, rules: Rules, base: StepRecord
) -> Decision[ApplicationTalkEvidence]:
    timely = on_time(state, DeadlineKind.APPLICATION_TALK, given.on)
    return Decision(
        {**base, "talker": given.body, "record": given.summary, **timely},
        {"due": due_with(state, application_talk=None)},
    )


def activist_designation(
    state: PersonState, given: ActivistDesignation, rules: Rules, base: StepRecord
) -> Decision[DesignationEvidence]:
    if given.body not in ("branch_committee", "branch_meeting"):
        raise InvalidInput(
            "development.body_not_allowed",
            body=given.body,
            allowed="branch_committee, branch_meeting",
        )
    if given.recommendation not in ("party_members", "mass_organisation"):
        raise InvalidInput(
            "development.recommendation_invalid",
            given=given.recommendation,
            allowed="party_members, mass_organisation",
        )
    every = rules.policy.value("development.activist_assessment_interval_months")
    return Decision(
        {**base, "body": given.body, "recommendation": given.recommendation},
        {
            "activist_since": given.on,
            "due": due_with(state, activist_assessment=add_months(given.on, every)),
        },
    )


def filing(
    state: PersonState, given: Filing, rules: Rules, base: StepRecord
) -> Decision[FilingEvidence]:
    return Decision({**base, "filed_with": given.body}, {})


def check_members(
    members: tuple[MemberStanding, ...], state: PersonState, count: tuple[int, int], code: str
) -> None:
    """Members named in a step: how many, each once and not the person, each a 正式党员 in
    good standing."""
    low, high = count
    if not low <= len(members) <= high:
        raise RuleViolation(f"{code}_count", given=len(members), min=low, max=high)
    ids = [m.person_id for m in members]
    if len(set(ids)) != len(ids) or state.id in ids:
        raise InvalidInput(f"{code}_duplicate")
    for member in members:
        if member.stage != Stage.FORMAL or not member.good_standing:
            raise RuleViolation(
                f"{code}_not_formal_member", name=member.name, stage=Stage.of(member.stage).label
            )


def contacts_assignment(
    state: PersonState, given: NamedMembers, rules: Rules, base: StepRecord
) -> Decision[ContactsEvidence]:
    p = rules.policy
    low, high = p.value("development.contacts_min"), p.value("development.contacts_max")
    check_members(given.members, state, (low, high), "development.contacts")
    return Decision({**base, "contacts": [m.record() for m in given.members]}, {})


def activist_assessment(
    state: PersonState, given: Assessment, rules: Rules, base: StepRecord
) -> Decision[AssessmentEvidence]:
    timely = on_time(state, DeadlineKind.ACTIVIST_ASSESSMENT, given.on)
    every = rules.policy.value("development.activist_assessment_interval_months")
    return Decision(
        {**base, "conclusion": given.summary, **timely},
        {"due": due_with(state, activist_assessment=add_months(given.on, every))},
    )


HEARD_REQUIRED = ("contacts", "members", "masses")


def candidate_designation(
    state: PersonState, given: CandidateDesignation, rules: Rules, base: StepRecord
) -> Decision[CandidateEvidence]:
    assert state.activist_since is not None  # the step's stage is reached by designation
    years = rules.policy.value("development.activist_min_years_before_candidate")
    earliest = add_months(state.activist_since, 12 * years)
    if given.on < earliest:
        raise RuleViolation(
            "development.activist_period_too_short",
            activist_since=state.activist_since,
            years=years,
            earliest=earliest,
            on=given.on,
            pack=rules.policy.ref,
        )
    missing = [h for h in HEARD_REQUIRED if h not in given.heard]
    if missing:
        raise RuleViolation("development.opinions_not_heard", missing=", ".join(missing))
    return Decision(
        {**base, "body": given.body, "heard": sorted(set(given.heard))},
        {"candidate_since": given.on},
    )


def candidate_filing(
    state: PersonState, given: CandidateFiling, rules: Rules, base: StepRecord
) -> Decision[CandidateFilingEvidence]:
    mode = rules.policy.value("development.candidate_filing")
    if mode == "consent" and given.consented is not True:
        raise RuleViolation("development.upper_consent_required", pack=rules.policy.ref)
    return Decision(
        {**base, "filed_with": given.body, "mode": mode, "consented": given.consented}, {}
    )


def introducers(
    state: PersonState, given: NamedMembers, rules: Rules, base: StepRecord
) -> Decision[IntroducersEvidence]:
    n = rules.policy.value("development.introducers")
    check_members(given.members, state, (n, n), "development.introducers")
    return Decision({**base, "introducers": [m.record() for m in given.members]}, {})


def political_review(
    state: PersonState, given: Review, rules: Rules, base: StepRecord
) -> Decision[ReviewEvidence]:
    return Decision(
        {**base, "passed": given.passed, "conclusion": given.summary},
        {"political_review_passed": given.passed},
    )


def training(
    state: PersonState, given: Training, rules: Rules, base: StepRecord
) -> Decision[TrainingEvidence]:
    days, hours = given.days, given.hours
    if days < 0 or hours < 0 or days + hours == 0:
        raise InvalidInput("development.training_empty", days=days, hours=hours)
    total_days, total_hours = state.training_days + days, state.training_hours + hours
    return Decision(
        {
            **base,
            "provider": given.body,
            "days": days,
            "hours": hours,
            "total_days": total_days,
            "total_hours": total_hours,
        },
        {"training_days": total_days, "training_hours": total_hours},
    )


def check_ready_for_admission(state: PersonState, rules: Rules) -> None:
    if state.political_review_passed is not True:
        raise RuleViolation("development.political_review_not_passed")
    p = rules.policy
    min_days, min_hours = (
        p.value("development.training_min_days"),
        p.value("development.training_min_hours"),
    )
    if state.training_days < min_days and state.training_hours < min_hours:
        raise RuleViolation(
            "development.training_insufficient",
            days=state.training_days,
            hours=state.training_hours,
            min_days=min_days,
            min_hours=min_hours,
            pack=p.ref,
        )


def committee_review(
    state: PersonState, given: CommitteeReview, rules: Rules, base: StepRecord
) -> Decision[ReviewEvidence]:
    check_ready_for_admission(state, rules)
    return Decision(
        {**base, "passed": given.passed, "conclusion": given.summary},
        {"committee_review_passed": given.passed},
    )


def pre_review(
    state: PersonState, given: PreReview, rules: Rules, base: StepRecord
) -> Decision[PreReviewEvidence]:
    if state.committee_review_passed is not True:
        raise RuleViolation("development.committee_review_not_passed")
    return Decision(
        {**base, "passed": given.passed, "result": given.summary, "reviewed_by": given.body},
        {"pre_review_passed": given.passed},
    )


def application_form(
    state: PersonState, given: Dated, rules: Rules, base: StepRecord
) -> Decision[StepRecord]:
    if state.pre_review_passed is not True:
        raise RuleViolation("development.pre_review_not_passed")
    return Decision(base, {})
