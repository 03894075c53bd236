"""The 25 steps of 发展党员 (细则, rule book §2): the order of the path, then each step's rule.

Every rule reads its numbers from the policy pack; the to-do deadlines a step sets are
tracked and reported, never blocking. The rules themselves are in ``candidacy_rules``
(steps 1–14) and ``admission_rules`` (15–25).
"""

from __future__ import annotations

from collections.abc import Callable

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain import admission_rules as a
from member_lifecycle.domain import candidacy_rules as c
from member_lifecycle.domain.decision import Decision, PersonState, Rules
from member_lifecycle.domain.notices import check_notice_done
from member_lifecycle.domain.stages import NOTICE_BEFORE, STEPS, DeadlineKind, Stage, Step
from member_lifecycle.domain.step_input import Approver, StepInput, approval_power

__all__ = ["Approver", "StepInput", "approval_power", "decide"]

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
    notice_end = DeadlineKind.PUBLIC_NOTICE_END.value
    due = decision.changes.get("due", state.due)
    if step in NOTICE_BEFORE.values() and notice_end in due:
        # The decision the 公示 came before is taken: its end is no longer on the to-do list.
        decision.changes["due"] = {k: v for k, v in due.items() if k != notice_end}
    return decision


RULES: dict[Step, Rule] = {
    Step.APPLICATION: c._application,
    Step.APPLICATION_TALK: c._talk,
    Step.ACTIVIST_DESIGNATION: c._activist,
    Step.ACTIVIST_FILING: c._filing,
    Step.CONTACTS_ASSIGNMENT: c._contacts,
    Step.ACTIVIST_ASSESSMENT: c._assessment,
    Step.CANDIDATE_DESIGNATION: c._candidate,
    Step.CANDIDATE_FILING: c._candidate_filing,
    Step.INTRODUCERS: c._introducers,
    Step.POLITICAL_REVIEW: c._political_review,
    Step.TRAINING: c._training,
    Step.COMMITTEE_REVIEW: c._committee_review,
    Step.PRE_REVIEW: c._pre_review,
    Step.APPLICATION_FORM: c._form,
    Step.ADMISSION_VOTE: a._admission_vote,
    Step.UPPER_TALK: a._upper_talk,
    Step.ADMISSION_APPROVAL: a._admission_approval,
    Step.ADMISSION_FILING: c._filing,
    Step.GROUP_PLACEMENT: a._group,
    Step.OATH: a._oath,
    Step.PROBATION_ASSESSMENT: a._probation_assessment,
    Step.CONVERSION_APPLICATION: a._conversion_application,
    Step.CONVERSION_VOTE: a._conversion_vote,
    Step.CONVERSION_APPROVAL: a._conversion_approval,
    Step.ARCHIVING: a._archiving,
}
