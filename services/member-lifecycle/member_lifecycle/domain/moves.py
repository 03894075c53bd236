"""Where a member belongs: 组织关系转接 (and a merger), 流动党员 (rule book §4)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain.action_evidence import (
    ConversionPostponed,
    MovedByMerger,
    OutflowContacted,
    OutflowEnded,
    OutflowRegistered,
    TransferAccepted,
    TransferReturned,
    TransferSent,
)
from member_lifecycle.domain.changes import RECORDED, OutflowState, PersonChanges, TransferState
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with
from member_lifecycle.domain.evidence import add_months
from member_lifecycle.domain.membership_rules import not_in_future, require_member
from member_lifecycle.domain.stages import Stage

# 组织关系转接 ---------------------------------------------------------------------------


def send_transfer(
    state: PersonState,
    to_org: UUID,
    to_name: str | None,
    sent_on: date,
    letter: str,
    rules: Rules,
) -> Decision[TransferSent]:
    require_member(state, "transfer")
    not_in_future(sent_on, rules)
    if state.transfer is not None:
        pending = state.transfer
        raise RuleViolation("transfer.already_pending", to=pending["to_name"] or pending["to_id"])
    if to_org == state.branch_id:
        raise InvalidInput("transfer.same_branch")
    valid = add_months(sent_on, rules.policy.value("membership.transfer_letter_valid_months"))
    transfer: TransferState = {
        "from_id": str(state.branch_id),
        "to_id": str(to_org),
        "to_name": to_name,
        "sent_on": sent_on,
        "letter": letter,
        "valid_until": valid,
    }
    return Decision(
        {**RECORDED, **transfer},
        {"transfer": transfer, "due": due_with(state, transfer_acceptance=valid)},
    )


def accept_transfer(
    state: PersonState, accepted_on: date, rules: Rules
) -> Decision[TransferAccepted]:
    transfer = state.transfer
    if transfer is None:
        raise RuleViolation("transfer.none_pending")
    not_in_future(accepted_on, rules)
    if accepted_on < transfer["sent_on"]:
        raise InvalidInput("transfer.accepted_before_sent", accepted_on=accepted_on)
    # Until now the old branch stayed responsible; the record moves with the acceptance.
    changes: PersonChanges = {
        "transfer": None,
        "branch_id": UUID(transfer["to_id"]),
        "due": due_with(state, transfer_acceptance=None),
    }
    if state.stage == Stage.PROBATIONARY:
        changes["transferred_in_on"] = accepted_on
    late = accepted_on > transfer["valid_until"]
    return Decision({**RECORDED, **transfer, "accepted_on": accepted_on, "late": late}, changes)


def postpone_conversion(
    state: PersonState, decided_on: date, months: int, why: str, rules: Rules
) -> Decision[ConversionPostponed]:
    """A branch receiving a transferred 预备党员 may postpone the 转正 discussion (≤6 months).

    The 预备期 does not move: a 转正 decided later is still back-dated to its end.
    """
    if state.stage != Stage.PROBATIONARY or state.transferred_in_on is None:
        raise RuleViolation("development.postponement_not_transferred")
    if state.conversion_postponed_months:
        raise RuleViolation(
            "development.postponement_used", months=state.conversion_postponed_months
        )
    not_in_future(decided_on, rules)
    most = rules.policy.value("development.transferred_conversion_postpone_max_months")
    if not 1 <= months <= most:
        raise RuleViolation(
            "development.postponement_length", months=months, max=most, pack=rules.policy.ref
        )
    assert state.probation_ends_on is not None
    due = add_months(state.probation_ends_on, months)
    return Decision(
        {"months": months, "why": why, "discussion_due": due},
        {"conversion_postponed_months": months, "due": due_with(state, conversion=due)},
    )


def move_by_merger(state: PersonState, into: UUID, merged_on: date) -> Decision[MovedByMerger]:
    """The branch merged into another (合并): the record moves with it, no letter needed."""
    return Decision(
        {"from_id": str(state.branch_id), "to_id": str(into), "merged_on": merged_on},
        {"branch_id": into},
    )


def return_transfer(
    state: PersonState, returned_on: date, reason: str, rules: Rules
) -> Decision[TransferReturned]:
    transfer = state.transfer
    if transfer is None:
        raise RuleViolation("transfer.none_pending")
    not_in_future(returned_on, rules)
    return Decision(
        {**RECORDED, **transfer, "returned_on": returned_on, "reason": reason},
        {"transfer": None, "due": due_with(state, transfer_acceptance=None)},
    )


# 流动党员 ------------------------------------------------------------------------------


def register_outflow(
    state: PersonState, left_on: date, destination: str, certificate: str, rules: Rules
) -> Decision[OutflowRegistered]:
    require_member(state, "outflow")
    not_in_future(left_on, rules)
    if state.outflow is not None:
        raise RuleViolation("outflow.already_registered", destination=state.outflow["destination"])
    every = rules.policy.value("membership.outflow_contact_months")
    outflow: OutflowState = {
        "left_on": left_on,
        "destination": destination,
        "certificate": certificate,  # 流动党员活动证
    }
    return Decision(
        {**RECORDED, **outflow},
        {"outflow": outflow, "due": due_with(state, outflow_contact=add_months(left_on, every))},
    )


def record_outflow_contact(
    state: PersonState, on: date, rules: Rules
) -> Decision[OutflowContacted]:
    if state.outflow is None:
        raise RuleViolation("outflow.not_registered")
    not_in_future(on, rules)
    every = rules.policy.value("membership.outflow_contact_months")
    return Decision(
        {"contacted_on": on}, {"due": due_with(state, outflow_contact=add_months(on, every))}
    )


def end_outflow(state: PersonState, returned_on: date, rules: Rules) -> Decision[OutflowEnded]:
    if state.outflow is None:
        raise RuleViolation("outflow.not_registered")
    not_in_future(returned_on, rules)
    return Decision(
        {**RECORDED, **state.outflow, "returned_on": returned_on},
        {"outflow": None, "due": due_with(state, outflow_contact=None)},
    )
