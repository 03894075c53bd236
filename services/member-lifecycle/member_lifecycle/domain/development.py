"""The 25 steps of 发展党员 (细则, rule book §2): what each step requires and decides.

Every rule reads its numbers from the policy pack; the to-do deadlines a step sets are
tracked and reported, never blocking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with, require
from member_lifecycle.domain.evidence import (
    MemberStanding,
    Vote,
    add_months,
    full_years_reached,
)
from member_lifecycle.domain.notices import check_notice_done
from member_lifecycle.domain.stages import (
    CONVERSION_STEPS,
    MAY_REAPPLY,
    NOTICE_BEFORE,
    STEPS,
    ConversionOutcome,
    DeadlineKind,
    ExitKind,
    NoticePoint,
    Stage,
    Step,
)

D = DeadlineKind


@dataclass(frozen=True)
class Approver:
    """The committee approving an admission or a conversion, as the org tree shows it."""

    org_id: UUID
    name: str
    may_approve: bool
    why_not: str | None = None


@dataclass(frozen=True)
class StepInput:
    """The evidence of one step; which fields a step needs is checked by its rule."""

    on: date
    body: str | None = None  # the deciding body (支委会, 支部大会, 党委...)
    summary: str | None = None  # talk record, conclusion, assessment
    passed: bool | None = None
    members: tuple[MemberStanding, ...] = ()
    vote: Vote | None = None
    days: float | None = None
    hours: float | None = None
    outcome: ConversionOutcome | None = None
    extension_months: int | None = None
    approver: Approver | None = None
    consented: bool | None = None
    heard: tuple[str, ...] = ()
    recommendation: str | None = None
    group: str | None = None
    since: date | None = None  # the start of an absence (自行脱党)
    leaving_unit_on: date | None = None  # a candidate about to leave the unit
    exception: str | None = None  # why a rule that says "normally" is set aside


Rule = Callable[[PersonState, StepInput, Rules, Decision], None]


def decide(state: PersonState, step: Step, given: StepInput, rules: Rules) -> Decision:
    """Check the order of the path, then the step's own rule; the decision it records."""
    rule = STEPS[step]
    if state.stage not in rule.stages:
        raise RuleViolation(
            "development.step_not_allowed_in_stage",
            step=f"{rule.number} {step.label}",
            stage=Stage.of(state.stage).label,
        )
    if not rule.repeatable and step in state.steps and step is not Step.APPLICATION:
        raise RuleViolation(
            "development.step_already_recorded",
            step=f"{rule.number} {step.label}",
            on=state.steps[step],
        )
    if step is not Step.APPLICATION:
        missing = [s for s in rule.requires if s not in state.steps]
        if missing:
            raise RuleViolation(
                "development.step_out_of_order",
                step=f"{rule.number} {step.label}",
                missing=", ".join(f"{STEPS[s].number} {s.label}" for s in missing),
            )
        latest = max((state.steps[s] for s in rule.requires), default=None)
        if latest is not None and given.on < latest:
            raise RuleViolation(
                "development.date_before_previous_step", on=given.on, previous=latest
            )
    if given.on > rules.today:
        raise InvalidInput("development.date_in_future", on=given.on, today=rules.today)
    for point, before in NOTICE_BEFORE.items():
        if before is step and step is not Step.CONVERSION_APPROVAL:
            check_notice_done(state, point, given.on, rules)
    decision = Decision(evidence={"step_number": rule.number, "decided_by": rule.decided_by})
    RULES[step](state, given, rules, decision)
    if decision.record_step:
        decision.changes["steps"] = {
            **(decision.changes.get("steps", state.steps)),
            step.value: given.on,
        }
    if rule.leads_to is not None and "stage" not in decision.changes:
        decision.changes["stage"] = rule.leads_to.value
    return decision


def _application(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    if state.stage == Stage.EXITED and state.exit_kind not in MAY_REAPPLY:
        raise RuleViolation("development.may_not_reapply", exit=ExitKind.of(state.exit_kind).label)
    min_age = rules.policy.value("development.min_age_years")
    if not full_years_reached(state.birth_date, min_age, given.on):
        raise RuleViolation(
            "development.applicant_too_young",
            min_age=min_age,
            birth_date=state.birth_date,
            eligible_from=add_months(state.birth_date, 12 * min_age),
            on=given.on,
            pack=rules.policy.ref,
        )
    talk_due = add_months(given.on, rules.policy.value("development.talk_within_months"))
    d.changes.update(
        steps={},
        cycle=state.cycle + 1,
        applied_on=given.on,
        activist_since=None,
        candidate_since=None,
        admission_vote_on=None,
        admitted_on=None,
        probation_ends_on=None,
        formal_since=None,
        extensions=0,
        political_review_passed=None,
        committee_review_passed=None,
        pre_review_passed=None,
        training_days=0.0,
        training_hours=0.0,
        conversion_outcome=None,
        conversion_extension_months=None,
        notices={},
        exit_kind=None,
        exited_on=None,
        transferred_in_on=None,
        conversion_postponed_months=None,
        due={D.APPLICATION_TALK.value: talk_due},
    )
    d.evidence["talk_due_on"] = talk_due


def _on_time(state: PersonState, kind: DeadlineKind, on: date, d: Decision) -> None:
    due = state.due.get(kind.value)
    if due is not None:
        d.evidence["due_on"] = due
        d.evidence["on_time"] = on <= due


def _talk(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    d.evidence.update(talker=require(given.body, "body"), record=require(given.summary, "summary"))
    _on_time(state, D.APPLICATION_TALK, given.on, d)
    d.changes["due"] = due_with(state, application_talk=None)


def _activist(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
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
    d.evidence.update(body=given.body, recommendation=given.recommendation)
    d.changes.update(
        activist_since=given.on,
        due=due_with(state, activist_assessment=add_months(given.on, every)),
    )


def _filing(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    d.evidence["filed_with"] = require(given.body, "body")


def _members(given: StepInput, state: PersonState, count: tuple[int, int], code: str) -> None:
    low, high = count
    if not low <= len(given.members) <= high:
        raise RuleViolation(f"{code}_count", given=len(given.members), min=low, max=high)
    ids = [m.person_id for m in given.members]
    if len(set(ids)) != len(ids) or state.id in ids:
        raise InvalidInput(f"{code}_duplicate")
    for member in given.members:
        if member.stage != Stage.FORMAL or not member.good_standing:
            raise RuleViolation(
                f"{code}_not_formal_member", name=member.name, stage=Stage.of(member.stage).label
            )


def _contacts(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    p = rules.policy
    low, high = p.value("development.contacts_min"), p.value("development.contacts_max")
    _members(given, state, (low, high), "development.contacts")
    d.evidence["contacts"] = [m.record() for m in given.members]


def _assessment(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    d.evidence["conclusion"] = require(given.summary, "summary")
    _on_time(state, D.ACTIVIST_ASSESSMENT, given.on, d)
    every = rules.policy.value("development.activist_assessment_interval_months")
    d.changes["due"] = due_with(state, activist_assessment=add_months(given.on, every))


HEARD_REQUIRED = ("contacts", "members", "masses")


def _candidate(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    assert state.activist_since is not None
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
    d.evidence.update(body=require(given.body, "body"), heard=sorted(set(given.heard)))
    d.changes["candidate_since"] = given.on


def _candidate_filing(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    mode = rules.policy.value("development.candidate_filing")
    if mode == "consent" and given.consented is not True:
        raise RuleViolation("development.upper_consent_required", pack=rules.policy.ref)
    d.evidence.update(filed_with=require(given.body, "body"), mode=mode, consented=given.consented)


def _introducers(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    n = rules.policy.value("development.introducers")
    _members(given, state, (n, n), "development.introducers")
    d.evidence["introducers"] = [m.record() for m in given.members]


def _political_review(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    passed = require(given.passed, "passed")
    d.evidence.update(passed=passed, conclusion=require(given.summary, "summary"))
    d.changes["political_review_passed"] = passed


def _training(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    days, hours = given.days or 0.0, given.hours or 0.0
    if days < 0 or hours < 0 or days + hours == 0:
        raise InvalidInput("development.training_empty", days=days, hours=hours)
    total_days, total_hours = state.training_days + days, state.training_hours + hours
    d.evidence.update(
        provider=require(given.body, "body"),
        days=days,
        hours=hours,
        total_days=total_days,
        total_hours=total_hours,
    )
    d.changes.update(training_days=total_days, training_hours=total_hours)


def _check_ready_for_admission(state: PersonState, rules: Rules) -> None:
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


def _committee_review(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    _check_ready_for_admission(state, rules)
    passed = require(given.passed, "passed")
    d.evidence.update(passed=passed, conclusion=given.summary)
    d.changes["committee_review_passed"] = passed


def _pre_review(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    if state.committee_review_passed is not True:
        raise RuleViolation("development.committee_review_not_passed")
    passed = require(given.passed, "passed")
    d.evidence.update(
        passed=passed,
        result=require(given.summary, "summary"),
        reviewed_by=require(given.body, "body"),
    )
    d.changes["pre_review_passed"] = passed


def _form(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    if state.pre_review_passed is not True:
        raise RuleViolation("development.pre_review_not_passed")


def check_vote(given: StepInput, rules: Rules, d: Decision) -> Vote:
    vote: Vote = require(given.vote, "vote")
    for voter in given.members:
        if voter.stage == Stage.PROBATIONARY:
            raise RuleViolation("vote.probationary_cannot_vote", name=voter.name)
        if voter.stage != Stage.FORMAL or not voter.good_standing:
            raise RuleViolation(
                "vote.voter_not_entitled", name=voter.name, stage=Stage.of(voter.stage).label
            )
    vote.check(rules.policy)
    d.evidence["vote"] = vote.record()
    return vote


def _admission_vote(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    _check_ready_for_admission(state, rules)
    if given.leaving_unit_on is not None:
        # 细则: a candidate leaving the unit within 3 months is normally not admitted.
        months = rules.policy.value("development.leaving_unit_within_months")
        if given.leaving_unit_on <= add_months(given.on, months):
            if not given.exception:
                raise RuleViolation(
                    "development.leaving_soon",
                    leaving_on=given.leaving_unit_on,
                    months=months,
                    pack=rules.policy.ref,
                )
            d.evidence.update(leaving_unit_on=given.leaving_unit_on, exception=given.exception)
    check_vote(given, rules, d)
    within = rules.policy.value("development.approval_within_months")
    d.changes.update(
        admission_vote_on=given.on,
        due=due_with(state, admission_approval=add_months(given.on, within)),
    )


def _upper_talk(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    d.evidence.update(talker=require(given.body, "body"), record=require(given.summary, "summary"))


def check_approver(given: StepInput, d: Decision) -> Approver:
    approver: Approver = require(given.approver, "approver")
    if not approver.may_approve:
        raise RuleViolation(
            "development.approver_not_entitled", org=approver.name, why=approver.why_not or ""
        )
    d.evidence["approved_by"] = {"org_id": str(approver.org_id), "name": approver.name}
    return approver


def _timeliness(since: date, on: date, rules: Rules, d: Decision) -> None:
    p = rules.policy
    within = add_months(since, p.value("development.approval_within_months"))
    at_most = add_months(since, p.value("development.approval_max_months"))
    d.evidence.update(
        within_limit=on <= within, limit_on=within, beyond_maximum=on > at_most, maximum_on=at_most
    )


def _admission_approval(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    check_approver(given, d)
    vote_on = state.admission_vote_on
    assert vote_on is not None
    _timeliness(vote_on, given.on, rules, d)
    p = rules.policy
    ends = add_months(vote_on, 12 * p.value("development.probation_years"))
    oath_due = add_months(given.on, p.value("development.oath_within_months"))
    d.evidence.update(probation_from=vote_on, probation_ends_on=ends)
    d.changes.update(
        admitted_on=given.on,
        membership_since=vote_on,
        probation_ends_on=ends,
        due=due_with(
            state, admission_approval=None, activist_assessment=None, oath=oath_due, conversion=ends
        ),
    )


def _group(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    d.evidence["group"] = require(given.group, "group")


def _oath(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    _on_time(state, D.OATH, given.on, d)
    d.changes["due"] = due_with(state, oath=None)


def _probation_assessment(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    d.evidence["conclusion"] = require(given.summary, "summary")


def _conversion_application(
    state: PersonState, given: StepInput, rules: Rules, d: Decision
) -> None:
    d.evidence.update(probation_ends_on=state.probation_ends_on, written=True)


def _conversion_vote(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    outcome: ConversionOutcome = require(given.outcome, "outcome")
    check_vote(given, rules, d)
    p = rules.policy
    months = None
    if outcome is ConversionOutcome.EXTEND:
        if state.extensions >= p.value("development.extension_max_times"):
            raise RuleViolation(
                "development.extension_already_used", times=state.extensions, pack=p.ref
            )
        months = require(given.extension_months, "extension_months")
        low, high = (
            p.value("development.extension_min_months"),
            p.value("development.extension_max_months"),
        )
        if not low <= months <= high:
            raise RuleViolation(
                "development.extension_length", months=months, min=low, max=high, pack=p.ref
            )
    d.evidence.update(outcome=outcome.value, extension_months=months)
    within = p.value("development.approval_within_months")
    d.changes.update(
        conversion_outcome=outcome.value,
        conversion_extension_months=months,
        conversion_vote_on=given.on,
        due=due_with(state, conversion=None, conversion_approval=add_months(given.on, within)),
    )


def _conversion_approval(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    check_approver(given, d)
    outcome = ConversionOutcome.of(state.conversion_outcome)
    vote_on = state.steps[Step.CONVERSION_VOTE]
    _timeliness(vote_on, given.on, rules, d)
    ends = state.probation_ends_on
    assert ends is not None
    d.evidence["outcome"] = outcome.value
    due = due_with(state, conversion_approval=None)
    if outcome is ConversionOutcome.CONVERT:
        check_notice_done(state, NoticePoint.CONVERSION, given.on, rules)
        # 转正 is back-dated to the end of the 预备期, however late the decision.
        d.evidence["formal_since"] = ends
        d.changes.update(stage=Stage.FORMAL.value, formal_since=ends, due=due)
    elif outcome is ConversionOutcome.EXTEND:
        months = state.conversion_extension_months
        assert months is not None
        new_end = add_months(ends, months)
        d.evidence.update(previous_end=ends, probation_ends_on=new_end)
        # The conversion is taken again at the new end: its steps are undone.
        steps = {k: v for k, v in state.steps.items() if k not in CONVERSION_STEPS}
        d.record_step = False
        d.changes.update(
            probation_ends_on=new_end,
            extensions=state.extensions + 1,
            conversion_outcome=None,
            conversion_extension_months=None,
            steps=steps,
            due={**due, D.CONVERSION.value: new_end},
        )
    else:
        d.changes.update(
            stage=Stage.EXITED.value,
            exit_kind=ExitKind.PROBATION_CANCELLED.value,
            exited_on=given.on,
            due={},
        )


def _archiving(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    d.evidence["archived_by"] = require(given.body, "body")


RULES: dict[Step, Rule] = {
    Step.APPLICATION: _application,
    Step.APPLICATION_TALK: _talk,
    Step.ACTIVIST_DESIGNATION: _activist,
    Step.ACTIVIST_FILING: _filing,
    Step.CONTACTS_ASSIGNMENT: _contacts,
    Step.ACTIVIST_ASSESSMENT: _assessment,
    Step.CANDIDATE_DESIGNATION: _candidate,
    Step.CANDIDATE_FILING: _candidate_filing,
    Step.INTRODUCERS: _introducers,
    Step.POLITICAL_REVIEW: _political_review,
    Step.TRAINING: _training,
    Step.COMMITTEE_REVIEW: _committee_review,
    Step.PRE_REVIEW: _pre_review,
    Step.APPLICATION_FORM: _form,
    Step.ADMISSION_VOTE: _admission_vote,
    Step.UPPER_TALK: _upper_talk,
    Step.ADMISSION_APPROVAL: _admission_approval,
    Step.ADMISSION_FILING: _filing,
    Step.GROUP_PLACEMENT: _group,
    Step.OATH: _oath,
    Step.PROBATION_ASSESSMENT: _probation_assessment,
    Step.CONVERSION_APPLICATION: _conversion_application,
    Step.CONVERSION_VOTE: _conversion_vote,
    Step.CONVERSION_APPROVAL: _conversion_approval,
    Step.ARCHIVING: _archiving,
}


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
