"""The 25 steps of 发展党员 (细则, rule book §2): the order of the path, then each step's rule.

:data:`RULES` is the one table of which input each step takes and which rule decides it;
the rules themselves are in ``candidacy_rules`` (steps 1–14) and ``admission_rules``
(15–25). Every rule reads its numbers from the policy pack; the to-do deadlines a step sets
are tracked and reported, never blocking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain import admission_rules as admission
from member_lifecycle.domain import candidacy_rules as candidacy
from member_lifecycle.domain.decision import Decision, PersonState, Rules
from member_lifecycle.domain.notices import check_notice_done
from member_lifecycle.domain.stages import NOTICE_BEFORE, STEPS, DeadlineKind, Stage, Step
from member_lifecycle.domain.step_evidence import StepEvidence, StepRecord
from member_lifecycle.domain.step_input import (
    ActivistDesignation,
    AdmissionVote,
    Approval,
    Approver,
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
    StepInput,
    Talk,
    Training,
    approval_power,
)

__all__ = ["RULES", "Approver", "StepInput", "approval_power", "decide"]

In = TypeVar("In")


@dataclass(frozen=True)
class StepRuleOf(Generic[In]):
    """What a step takes (its input's shape) and the rule that decides it."""

    takes: type[In]
    decide: Callable[[PersonState, In, Rules, StepRecord], Decision[StepEvidence]]


def _rule(
    takes: type[In], decide: Callable[[PersonState, In, Rules, StepRecord], Decision[StepEvidence]]
) -> StepRuleOf[In]:
    return StepRuleOf(takes, decide)


def decide(
    state: PersonState, step: Step, given: StepInput, rules: Rules
) -> Decision[StepEvidence]:
    """Check the order of the path, then the step's own rule; the decision it records."""
    rule, entry = STEPS[step], RULES[step]
    if not isinstance(given, entry.takes):
        msg = f"{step.value} takes {entry.takes.__name__}, not {type(given).__name__}"
        raise TypeError(msg)
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
    base: StepRecord = {"step_number": rule.number, "decided_by": rule.decided_by}
    decision = entry.decide(state, given, rules, base)
    changes = decision.changes
    if decision.record_step:
        changes["steps"] = {**changes.get("steps", state.steps), step.value: given.on}
    if rule.leads_to is not None and "stage" not in changes:
        changes["stage"] = rule.leads_to.value
    notice_end = DeadlineKind.PUBLIC_NOTICE_END.value
    due = changes.get("due", state.due)
    if step in NOTICE_BEFORE.values() and notice_end in due:
        # The decision the 公示 came before is taken: its end is no longer on the to-do list.
        changes["due"] = {k: v for k, v in due.items() if k != notice_end}
    return decision


#: Each step: the input it takes and its rule (in the rule book's order).
RULES: dict[Step, StepRuleOf[Any]] = {
    Step.APPLICATION: _rule(Dated, candidacy.application),
    Step.APPLICATION_TALK: _rule(Talk, candidacy.application_talk),
    Step.ACTIVIST_DESIGNATION: _rule(ActivistDesignation, candidacy.activist_designation),
    Step.ACTIVIST_FILING: _rule(Filing, candidacy.filing),
    Step.CONTACTS_ASSIGNMENT: _rule(NamedMembers, candidacy.contacts_assignment),
    Step.ACTIVIST_ASSESSMENT: _rule(Assessment, candidacy.activist_assessment),
    Step.CANDIDATE_DESIGNATION: _rule(CandidateDesignation, candidacy.candidate_designation),
    Step.CANDIDATE_FILING: _rule(CandidateFiling, candidacy.candidate_filing),
    Step.INTRODUCERS: _rule(NamedMembers, candidacy.introducers),
    Step.POLITICAL_REVIEW: _rule(Review, candidacy.political_review),
    Step.TRAINING: _rule(Training, candidacy.training),
    Step.COMMITTEE_REVIEW: _rule(CommitteeReview, candidacy.committee_review),
    Step.PRE_REVIEW: _rule(PreReview, candidacy.pre_review),
    Step.APPLICATION_FORM: _rule(Dated, candidacy.application_form),
    Step.ADMISSION_VOTE: _rule(AdmissionVote, admission.admission_vote),
    Step.UPPER_TALK: _rule(Talk, admission.upper_talk),
    Step.ADMISSION_APPROVAL: _rule(Approval, admission.admission_approval),
    Step.ADMISSION_FILING: _rule(Filing, candidacy.filing),
    Step.GROUP_PLACEMENT: _rule(GroupPlacement, admission.group_placement),
    Step.OATH: _rule(Dated, admission.oath),
    Step.PROBATION_ASSESSMENT: _rule(Assessment, admission.probation_assessment),
    Step.CONVERSION_APPLICATION: _rule(Dated, admission.conversion_application),
    Step.CONVERSION_VOTE: _rule(ConversionVote, admission.conversion_vote),
    Step.CONVERSION_APPROVAL: _rule(Approval, admission.conversion_approval),
    Step.ARCHIVING: _rule(Filing, admission.archiving),
}
