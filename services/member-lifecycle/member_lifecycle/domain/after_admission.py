"""Membership after admission (rule book §4): transfers, mobile members, lost contact,
rectification, party probation, and the ways out of the Party.

Each function checks a command against the state and the pack and returns the decision to
record. Votes of the 支部大会 follow the same quorum and pass rules as admission.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with, require
from member_lifecycle.domain.development import StepInput, check_approver, check_vote
from member_lifecycle.domain.evidence import add_months
from member_lifecycle.domain.stages import DeadlineKind, ExitKind, Stage

MEMBERS = (Stage.PROBATIONARY.value, Stage.FORMAL.value)
GOOD, SUSPENDED = "good", "suspended"
D = DeadlineKind


def _member(state: PersonState, action: str) -> None:
    if state.stage not in MEMBERS:
        raise RuleViolation(
            "membership.not_a_member", action=action, stage=Stage.of(state.stage).label
        )


def _not_future(on: date, rules: Rules) -> None:
    if on > rules.today:
        raise InvalidInput("development.date_in_future", on=on, today=rules.today)


# 组织关系转接 ---------------------------------------------------------------------------


def send_transfer(
    state: PersonState, to_org: UUID, to_name: str, sent_on: date, letter: str, rules: Rules
) -> Decision:
    _member(state, "transfer")
    _not_future(sent_on, rules)
    if state.transfer is not None:
        raise RuleViolation("transfer.already_pending", to=state.transfer["to_name"])
    if to_org == state.branch_id:
        raise InvalidInput("transfer.same_branch")
    valid = add_months(sent_on, rules.policy.value("membership.transfer_letter_valid_months"))
    transfer = {
        "from_id": str(state.branch_id),
        "to_id": str(to_org),
        "to_name": to_name,
        "sent_on": sent_on,
        "letter": require(letter, "letter"),
        "valid_until": valid,
    }
    return Decision(
        evidence=dict(transfer),
        changes={"transfer": transfer, "due": due_with(state, transfer_acceptance=valid)},
    )


def accept_transfer(state: PersonState, accepted_on: date, rules: Rules) -> Decision:
    transfer = state.transfer
    if transfer is None:
        raise RuleViolation("transfer.none_pending")
    _not_future(accepted_on, rules)
    if accepted_on < transfer["sent_on"]:
        raise InvalidInput("transfer.accepted_before_sent", accepted_on=accepted_on)
    # Until now the old branch stayed responsible; the record moves with the acceptance.
    changes: dict[str, object] = {
        "transfer": None,
        "branch_id": UUID(transfer["to_id"]),
        "due": due_with(state, transfer_acceptance=None),
    }
    if state.stage == Stage.PROBATIONARY:
        changes["transferred_in_on"] = accepted_on
    late = accepted_on > transfer["valid_until"]
    return Decision(
        evidence={**transfer, "accepted_on": accepted_on, "late": late}, changes=changes
    )


def postpone_conversion(
    state: PersonState, decided_on: date, months: int, why: str, rules: Rules
) -> Decision:
    """A branch receiving a transferred 预备党员 may postpone the 转正 discussion (≤6 months).

    The 预备期 does not move: a 转正 decided later is still back-dated to its end.
    """
    if state.stage != Stage.PROBATIONARY or state.transferred_in_on is None:
        raise RuleViolation("development.postponement_not_transferred")
    if state.conversion_postponed_months:
        raise RuleViolation(
            "development.postponement_used", months=state.conversion_postponed_months
        )
    _not_future(decided_on, rules)
    most = rules.policy.value("development.transferred_conversion_postpone_max_months")
    if not 1 <= months <= most:
        raise RuleViolation(
            "development.postponement_length", months=months, max=most, pack=rules.policy.ref
        )
    assert state.probation_ends_on is not None
    due = add_months(state.probation_ends_on, months)
    return Decision(
        evidence={"months": months, "why": require(why, "why"), "discussion_due": due},
        changes={"conversion_postponed_months": months, "due": due_with(state, conversion=due)},
    )


def move_by_merger(state: PersonState, into: UUID, merged_on: date) -> Decision:
    """The branch merged into another (合并): the record moves with it, no letter needed."""
    return Decision(
        evidence={"from_id": str(state.branch_id), "to_id": str(into), "merged_on": merged_on},
        changes={"branch_id": into},
    )


def return_transfer(state: PersonState, returned_on: date, reason: str, rules: Rules) -> Decision:
    transfer = state.transfer
    if transfer is None:
        raise RuleViolation("transfer.none_pending")
    _not_future(returned_on, rules)
    return Decision(
        evidence={**transfer, "returned_on": returned_on, "reason": require(reason, "reason")},
        changes={"transfer": None, "due": due_with(state, transfer_acceptance=None)},
    )


# 流动党员 ------------------------------------------------------------------------------


def register_outflow(
    state: PersonState, left_on: date, destination: str, certificate: str, rules: Rules
) -> Decision:
    _member(state, "outflow")
    _not_future(left_on, rules)
    if state.outflow is not None:
        raise RuleViolation("outflow.already_registered", destination=state.outflow["destination"])
    every = rules.policy.value("membership.outflow_contact_months")
    outflow = {
        "left_on": left_on,
        "destination": require(destination, "destination"),
        "certificate": require(certificate, "certificate"),  # 流动党员活动证
    }
    return Decision(
        evidence=dict(outflow),
        changes={
            "outflow": outflow,
            "due": due_with(state, outflow_contact=add_months(left_on, every)),
        },
    )


def record_outflow_contact(state: PersonState, on: date, rules: Rules) -> Decision:
    if state.outflow is None:
        raise RuleViolation("outflow.not_registered")
    _not_future(on, rules)
    every = rules.policy.value("membership.outflow_contact_months")
    return Decision(
        evidence={"contacted_on": on},
        changes={"due": due_with(state, outflow_contact=add_months(on, every))},
    )


def end_outflow(state: PersonState, returned_on: date, rules: Rules) -> Decision:
    if state.outflow is None:
        raise RuleViolation("outflow.not_registered")
    _not_future(returned_on, rules)
    return Decision(
        evidence={**state.outflow, "returned_on": returned_on},
        changes={"outflow": None, "due": due_with(state, outflow_contact=None)},
    )


# 失联, 停止党籍, 恢复 --------------------------------------------------------------------


def report_lost_contact(state: PersonState, since: date, rules: Rules) -> Decision:
    _member(state, "lost_contact")
    _not_future(since, rules)
    if state.lost_contact_since is not None:
        raise RuleViolation("standing.already_lost_contact", since=state.lost_contact_since)
    months = rules.policy.value("membership.lost_contact_months")
    # 超过六个月: the review falls due the day after six months have passed.
    review = add_months(since, months) + timedelta(days=1)
    return Decision(
        evidence={"since": since, "review_from": review},
        changes={"lost_contact_since": since, "due": due_with(state, suspension_review=review)},
    )


def suspend(state: PersonState, decided_on: date, body: str, rules: Rules) -> Decision:
    _member(state, "suspend")
    _not_future(decided_on, rules)
    since = state.lost_contact_since
    if since is None or state.standing == SUSPENDED:
        raise RuleViolation("standing.not_lost_contact")
    months = rules.policy.value("membership.lost_contact_months")
    if not decided_on > add_months(since, months):
        raise RuleViolation(
            "standing.lost_contact_too_recent",
            since=since,
            months=months,
            earliest=add_months(since, months) + timedelta(days=1),
            pack=rules.policy.ref,
        )
    years = rules.policy.value("membership.suspended_to_lapsed_years")
    lapse = add_months(decided_on, 12 * years)
    return Decision(
        evidence={"since": since, "body": require(body, "body"), "lapse_review_from": lapse},
        changes={
            "standing": SUSPENDED,
            "suspended_on": decided_on,
            "due": due_with(state, suspension_review=None, lapse_review=lapse),
        },
    )


def restore(state: PersonState, found_on: date, rules: Rules) -> Decision:
    """Contact regained: 停止党籍 can be restored (劝退, 除名, 开除 cannot)."""
    _member(state, "restore")
    _not_future(found_on, rules)
    if state.lost_contact_since is None:
        raise RuleViolation("standing.not_lost_contact")
    return Decision(
        evidence={"found_on": found_on, "was": state.standing, "since": state.lost_contact_since},
        changes={
            "standing": GOOD,
            "lost_contact_since": None,
            "suspended_on": None,
            "due": due_with(state, suspension_review=None, lapse_review=None),
        },
    )


# 限期改正, 留党察看 ----------------------------------------------------------------------


def order_rectification(
    state: PersonState, ordered_on: date, until: date, rules: Rules
) -> Decision:
    _member(state, "rectification")
    _not_future(ordered_on, rules)
    if state.rectification is not None and state.rectification["status"] == "ordered":
        raise RuleViolation("rectification.already_ordered", until=state.rectification["until"])
    months = rules.policy.value("membership.rectification_max_months")
    latest = add_months(ordered_on, months)
    if not ordered_on < until <= latest:
        raise RuleViolation(
            "rectification.period", until=until, latest=latest, months=months, pack=rules.policy.ref
        )
    rectification = {"ordered_on": ordered_on, "until": until, "status": "ordered"}
    return Decision(
        evidence=dict(rectification),
        changes={"rectification": rectification, "due": due_with(state, rectification_end=until)},
    )


def conclude_rectification(
    state: PersonState, concluded_on: date, improved: bool, rules: Rules
) -> Decision:
    rectification = state.rectification
    if rectification is None or rectification["status"] != "ordered":
        raise RuleViolation("rectification.not_ordered")
    _not_future(concluded_on, rules)
    status = "improved" if improved else "not_improved"
    return Decision(
        evidence={**rectification, "concluded_on": concluded_on, "improved": improved},
        changes={
            "rectification": {**rectification, "status": status},
            "due": due_with(state, rectification_end=None),
        },
    )


def record_party_probation(
    state: PersonState, decided_on: date, until: date, decision_ref: str, rules: Rules
) -> Decision:
    """留党察看 (a disciplinary sanction): no introducing, voting or election while it runs."""
    _member(state, "party_probation")
    years = rules.policy.value("membership.party_probation_max_years")
    if not decided_on < until <= add_months(decided_on, 12 * years):
        raise RuleViolation("discipline.party_probation_period", until=until, years=years)
    return Decision(
        evidence={
            "decided_on": decided_on,
            "until": until,
            "decision": require(decision_ref, "decision"),
        },
        changes={"party_probation_until": until},
    )


# Ways out -------------------------------------------------------------------------------


def _exit(state: PersonState, kind: ExitKind, on: date, evidence: dict[str, object]) -> Decision:
    return Decision(
        evidence={"kind": kind.value, "on": on, "stage_before": state.stage, **evidence},
        changes={
            "stage": Stage.EXITED.value,
            "exit_kind": kind.value,
            "exited_on": on,
            "due": {},
            "transfer": None,
            "outflow": None,
        },
    )


def _voted_and_approved(given: StepInput, rules: Rules) -> dict[str, object]:
    d = Decision()
    check_vote(given, rules, d)
    check_approver(given, d)
    return d.evidence


def leave(state: PersonState, kind: ExitKind, given: StepInput, rules: Rules) -> Decision:
    """退党, 自行脱党, 劝退, 除名, 开除党籍, death: each with what the rules ask of it."""
    _not_future(given.on, rules)
    if state.stage == Stage.EXITED:
        raise RuleViolation("membership.already_exited", kind=ExitKind.of(state.exit_kind).label)
    if kind is not ExitKind.DECEASED:
        _member(state, kind.value)
    evidence: dict[str, object] = {}
    if kind is ExitKind.WITHDRAWAL:
        evidence = {
            "request": require(given.summary, "summary"),
            "body": require(given.body, "body"),
        }
    elif kind is ExitKind.LAPSED:
        evidence = _lapsed(state, given, rules)
    elif kind in (ExitKind.PERSUADED, ExitKind.REMOVED):
        evidence = _after_rectification(state, kind, given, rules)
    elif kind is ExitKind.EXPELLED:
        # Recorded from the disciplinary decision (纪律处分决定): the heaviest of five sanctions.
        evidence = {
            "decision": require(given.summary, "summary"),
            "body": require(given.body, "body"),
        }
    elif kind is ExitKind.DECEASED:
        evidence = {"reported_by": given.body}
    else:
        raise InvalidInput("membership.exit_kind_invalid", kind=kind.value)
    return _exit(state, kind, given.on, evidence)


def _lapsed(state: PersonState, given: StepInput, rules: Rules) -> dict[str, object]:
    """自行脱党: two years after 停止党籍, or six months without organisational life, dues or
    assigned work without good reason (``summary`` names which and since when)."""
    if state.standing == SUSPENDED:
        assert state.suspended_on is not None
        years = rules.policy.value("membership.suspended_to_lapsed_years")
        earliest = add_months(state.suspended_on, 12 * years)
        if given.on < earliest:
            raise RuleViolation(
                "standing.suspension_too_recent",
                suspended_on=state.suspended_on,
                earliest=earliest,
                pack=rules.policy.ref,
            )
        basis = "suspended"
    else:
        basis = require(given.summary, "summary")
        since: date = require(given.since, "since")
        months = rules.policy.value("membership.no_organisational_life_months")
        if given.on < add_months(since, months):
            raise RuleViolation(
                "standing.absence_too_short", since=since, months=months, pack=rules.policy.ref
            )
    return {"basis": basis, **_voted_and_approved(given, rules)}


def _after_rectification(
    state: PersonState, kind: ExitKind, given: StepInput, rules: Rules
) -> dict[str, object]:
    """不合格党员处置: 限期改正 first; 劝退 if no change; 除名 if the person refuses 劝退."""
    rectification = state.rectification or {}
    if kind is ExitKind.PERSUADED:
        if rectification.get("status") != "not_improved":
            raise RuleViolation("rectification.not_failed")
        if given.passed is False:
            raise InvalidInput("rectification.persuasion_refused_use_removal")
    elif rectification.get("status") != "not_improved":
        raise RuleViolation("rectification.not_failed")
    return {
        "rectification": rectification,
        "refused_persuasion": kind is ExitKind.REMOVED,
        **_voted_and_approved(given, rules),
    }


# Members admitted before the system ----------------------------------------------------


def import_membership(
    state: PersonState,
    stage: Stage,
    admitted_on: date,
    formal_since: date | None,
    source: str,
    rules: Rules,
) -> Decision:
    """Record a member admitted before the system kept their path (历史党员信息采集).

    ``admitted_on`` is the 支部大会 date the 党籍 counts from; a 正式党员 also needs the
    转正 date (党龄 counts from it). Nothing of the 25 steps is invented.
    """
    if state.stage != Stage.REGISTERED:
        raise RuleViolation("membership.import_only_new", stage=Stage.of(state.stage).label)
    if stage not in (Stage.FORMAL, Stage.PROBATIONARY):
        raise InvalidInput("membership.import_stage", stage=stage.value)
    _not_future(admitted_on, rules)
    years = rules.policy.value("development.probation_years")
    ends = add_months(admitted_on, 12 * years)
    changes: dict[str, object] = {
        "stage": stage.value,
        "membership_since": admitted_on,
        "admission_vote_on": admitted_on,
        "probation_ends_on": ends,
    }
    if stage is Stage.FORMAL:
        if formal_since is None or formal_since < ends:
            raise RuleViolation(
                "membership.import_formal_since", formal_since=formal_since, earliest=ends
            )
        _not_future(formal_since, rules)
        changes["formal_since"] = formal_since
    else:
        changes["due"] = due_with(state, conversion=ends)
    return Decision(
        evidence={"source": require(source, "source"), "admitted_on": admitted_on},
        changes=changes,
    )
