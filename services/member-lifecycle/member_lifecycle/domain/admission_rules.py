"""Steps 15–25 of 发展党员: the vote, approval, probation and 转正 (rule book §2)."""

from __future__ import annotations

from datetime import date

from jiceng.errors import RuleViolation
from member_lifecycle.domain.candidacy_rules import check_ready_for_admission, on_time
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with
from member_lifecycle.domain.evidence import MemberStanding, Vote, VoteRecord, add_months
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
from member_lifecycle.domain.step_evidence import (
    AdmissionApprovalEvidence,
    AdmissionVoteEvidence,
    ApprovalEvidence,
    ApproverRecord,
    ArchivingEvidence,
    ConversionApplicationEvidence,
    ConversionCancelled,
    ConversionVoteEvidence,
    Converted,
    GroupEvidence,
    LeavingSoon,
    ProbationAssessmentEvidence,
    ProbationExtended,
    StepRecord,
    TalkEvidence,
    Timely,
)
from member_lifecycle.domain.step_input import (
    AdmissionVote,
    Approval,
    Approver,
    Assessment,
    ConversionVote,
    Dated,
    Filing,
    GroupPlacement,
    Talk,
)


def check_vote(vote: Vote, voters: tuple[MemberStanding, ...], rules: Rules) -> VoteRecord:
    """A 支部大会 vote: only 正式党员 in good standing vote; quorum and pass by the pack."""
    for voter in voters:
        if voter.stage == Stage.PROBATIONARY:
            raise RuleViolation("vote.probationary_cannot_vote", name=voter.name)
        if voter.stage != Stage.FORMAL or not voter.good_standing:
            raise RuleViolation(
                "vote.voter_not_entitled", name=voter.name, stage=Stage.of(voter.stage).label
            )
    vote.check(rules.policy)
    return vote.record()


def admission_vote(
    state: PersonState, given: AdmissionVote, rules: Rules, base: StepRecord
) -> Decision[AdmissionVoteEvidence]:
    check_ready_for_admission(state, rules)
    leaving, soon = given.leaving_unit_on, LeavingSoon()
    if leaving is not None:
        # 细则: a candidate leaving the unit within 3 months is normally not admitted.
        months = rules.policy.value("development.leaving_unit_within_months")
        if leaving <= add_months(given.on, months):
            if not given.exception:
                raise RuleViolation(
                    "development.leaving_soon",
                    leaving_on=leaving,
                    months=months,
                    pack=rules.policy.ref,
                )
            soon = {"leaving_unit_on": leaving, "exception": given.exception}
    vote = check_vote(given.vote, given.members, rules)
    evidence: AdmissionVoteEvidence = {**base, **soon, "vote": vote}
    within = rules.policy.value("development.approval_within_months")
    return Decision(
        evidence,
        {
            "admission_vote_on": given.on,
            "due": due_with(state, admission_approval=add_months(given.on, within)),
        },
    )


def upper_talk(
    state: PersonState, given: Talk, rules: Rules, base: StepRecord
) -> Decision[TalkEvidence]:
    return Decision({**base, "talker": given.body, "record": given.summary}, {})


def check_approver(approver: Approver) -> ApproverRecord:
    """Only a committee entitled to approve (see :func:`.step_input.approval_power`)."""
    if not approver.may_approve:
        raise RuleViolation(
            "development.approver_not_entitled", org=approver.name, why=approver.why_not or ""
        )
    return {"org_id": str(approver.org_id), "name": approver.name}


def _approval(since: date, given: Approval, rules: Rules, base: StepRecord) -> ApprovalEvidence:
    """The approval, and whether it came within the pack's months of the vote (tracked)."""
    approved_by = check_approver(given.approver)
    p = rules.policy
    within = add_months(since, p.value("development.approval_within_months"))
    at_most = add_months(since, p.value("development.approval_max_months"))
    return {
        **base,
        "approved_by": approved_by,
        "within_limit": given.on <= within,
        "limit_on": within,
        "beyond_maximum": given.on > at_most,
        "maximum_on": at_most,
    }


def admission_approval(
    state: PersonState, given: Approval, rules: Rules, base: StepRecord
) -> Decision[AdmissionApprovalEvidence]:
    vote_on = state.admission_vote_on
    assert vote_on is not None  # the step needs the vote before it
    approval = _approval(vote_on, given, rules, base)
    p = rules.policy
    ends = add_months(vote_on, 12 * p.value("development.probation_years"))
    oath_due = add_months(given.on, p.value("development.oath_within_months"))
    return Decision(
        {**approval, "probation_from": vote_on, "probation_ends_on": ends},
        {
            "admitted_on": given.on,
            "membership_since": vote_on,
            "probation_ends_on": ends,
            "due": due_with(
                state,
                admission_approval=None,
                activist_assessment=None,
                oath=oath_due,
                conversion=ends,
            ),
        },
    )


def group_placement(
    state: PersonState, given: GroupPlacement, rules: Rules, base: StepRecord
) -> Decision[GroupEvidence]:
    return Decision({**base, "group": given.group}, {})


def oath(state: PersonState, given: Dated, rules: Rules, base: StepRecord) -> Decision[Timely]:
    timely = on_time(state, DeadlineKind.OATH, given.on)
    return Decision({**base, **timely}, {"due": due_with(state, oath=None)})


def probation_assessment(
    state: PersonState, given: Assessment, rules: Rules, base: StepRecord
) -> Decision[ProbationAssessmentEvidence]:
    return Decision({**base, "conclusion": given.summary}, {})


def conversion_application(
    state: PersonState, given: Dated, rules: Rules, base: StepRecord
) -> Decision[ConversionApplicationEvidence]:
    return Decision({**base, "probation_ends_on": state.probation_ends_on, "written": True}, {})


def conversion_vote(
    state: PersonState, given: ConversionVote, rules: Rules, base: StepRecord
) -> Decision[ConversionVoteEvidence]:
    vote = check_vote(given.vote, given.members, rules)
    p = rules.policy
    months = None
    if given.outcome is ConversionOutcome.EXTEND:
        if state.extensions >= p.value("development.extension_max_times"):
            raise RuleViolation(
                "development.extension_already_used", times=state.extensions, pack=p.ref
            )
        months = given.extension_months
        low, high = (
            p.value("development.extension_min_months"),
            p.value("development.extension_max_months"),
        )
        if months is None or not low <= months <= high:
            raise RuleViolation(
                "development.extension_length", months=months, min=low, max=high, pack=p.ref
            )
    within = p.value("development.approval_within_months")
    return Decision(
        {**base, "vote": vote, "outcome": given.outcome.value, "extension_months": months},
        {
            "conversion_outcome": given.outcome.value,
            "conversion_extension_months": months,
            "conversion_vote_on": given.on,
            "due": due_with(
                state, conversion=None, conversion_approval=add_months(given.on, within)
            ),
        },
    )


def conversion_approval(
    state: PersonState, given: Approval, rules: Rules, base: StepRecord
) -> Decision[Converted | ProbationExtended | ConversionCancelled]:
    approval = _approval(state.steps[Step.CONVERSION_VOTE], given, rules, base)
    outcome = ConversionOutcome.of(state.conversion_outcome)
    ends = state.probation_ends_on
    assert ends is not None  # a 预备党员 has the end of their 预备期
    due = due_with(state, conversion_approval=None)
    if outcome is ConversionOutcome.CONVERT:
        check_notice_done(state, NoticePoint.CONVERSION, given.on, rules)
        # 转正 is back-dated to the end of the 预备期, however late the decision.
        converted: Converted = {**approval, "outcome": outcome.value, "formal_since": ends}
        return Decision(
            converted,
            {"stage": Stage.FORMAL.value, "formal_since": ends, "due": due},
        )
    if outcome is ConversionOutcome.EXTEND:
        months = state.conversion_extension_months
        assert months is not None  # the vote to extend named its months
        new_end = add_months(ends, months)
        # The conversion is taken again at the new end: its steps are undone.
        steps = {k: v for k, v in state.steps.items() if k not in CONVERSION_STEPS}
        extended: ProbationExtended = {
            **approval,
            "outcome": outcome.value,
            "previous_end": ends,
            "probation_ends_on": new_end,
        }
        return Decision(
            extended,
            {
                "probation_ends_on": new_end,
                "extensions": state.extensions + 1,
                "conversion_outcome": None,
                "conversion_extension_months": None,
                "steps": steps,
                "due": {**due, DeadlineKind.CONVERSION.value: new_end},
            },
            record_step=False,
        )
    cancelled: ConversionCancelled = {**approval, "outcome": outcome.value}
    return Decision(
        cancelled,
        {
            "stage": Stage.EXITED.value,
            "exit_kind": ExitKind.PROBATION_CANCELLED.value,
            "exited_on": given.on,
            "due": {},
        },
    )


def archiving(
    state: PersonState, given: Filing, rules: Rules, base: StepRecord
) -> Decision[ArchivingEvidence]:
    return Decision({**base, "archived_by": given.body}, {})
