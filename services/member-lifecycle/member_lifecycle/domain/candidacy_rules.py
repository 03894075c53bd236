"""Steps 1–14 of 发展党员: from the application to the 入党志愿书 (rule book §2).

Each rule reads its numbers from the policy pack and writes what it decides into ``d``.
"""

from __future__ import annotations

from datetime import date

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with, require
from member_lifecycle.domain.evidence import add_months, full_years_reached
from member_lifecycle.domain.stages import MAY_REAPPLY, DeadlineKind, ExitKind, Stage
from member_lifecycle.domain.step_input import StepInput

D = DeadlineKind


def _application(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
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


def on_time(state: PersonState, kind: DeadlineKind, on: date, d: Decision) -> None:
    due = state.due.get(kind.value)
    if due is not None:
        d.evidence["due_on"] = due
        d.evidence["on_time"] = on <= due


def _talk(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    d.evidence.update(talker=require(given.body, "body"), record=require(given.summary, "summary"))
    on_time(state, D.APPLICATION_TALK, given.on, d)
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
    on_time(state, D.ACTIVIST_ASSESSMENT, given.on, d)
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


def _committee_review(state: PersonState, given: StepInput, rules: Rules, d: Decision) -> None:
    check_ready_for_admission(state, rules)
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
