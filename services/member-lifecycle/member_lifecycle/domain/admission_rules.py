"""Steps 15–25 of 发展党员: the vote, approval, probation and 转正 (rule book §2)."""

from __future__ import annotations

from datetime import date

from jiceng.errors import RuleViolation
from member_lifecycle.domain.candidacy_rules import check_ready_for_admission, on_time
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with, require
from member_lifecycle.domain.evidence import Vote, add_months
from member_lifecycle.domain.notices import check_notice_done
from member_lifecycle.domain.stages import (
    CONVERSION_STEPS,
    ConversionOutcome,
    DeadlineKind,
    ExitKind,
    NoticePoint,
    Stage,
    Step,
)
from member_lifecycle.domain.step_input import Approver, StepInput

D = DeadlineKind


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
    check_ready_for_admission(state, rules)
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
    on_time(state, D.OATH, given.on, d)
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
