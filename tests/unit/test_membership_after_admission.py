"""Membership after admission (rule book §4): transfers, mobility, lost contact, exits."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from jiceng.errors import JicengError
from member_lifecycle.domain.changes import apply_changes
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import ExitKind, Stage, Step
from member_lifecycle.domain.step_input import Dated, Death, Disposal, ExitStatement, Lapse
from path_support import APPROVER, BRANCH, person, rules, vote, walk

OTHER = uuid.UUID(int=77)


def refused(code: str, act: object) -> JicengError:
    with pytest.raises(JicengError) as caught:
        act()  # type: ignore[operator]
    assert caught.value.code == code, caught.value.params
    return caught.value


def member() -> Person:
    return walk(person())  # 正式党员 since 2026-04-01


def test_transfer_stays_with_the_old_branch_until_accepted() -> None:
    p = member()
    r = rules()
    p.send_transfer(OTHER, "乙支部", date(2026, 6, 1), "No.1", r)
    assert p.branch_id == BRANCH and p.due["transfer_acceptance"] == date(2026, 9, 1)
    refused(
        "transfer.already_pending",
        lambda: p.send_transfer(OTHER, "乙", date(2026, 6, 2), "No.2", r),
    )
    p.accept_transfer(date(2026, 6, 10), r)
    assert p.branch_id == OTHER and p.transfer is None and "transfer_acceptance" not in p.due
    refused("transfer.none_pending", lambda: p.accept_transfer(date(2026, 6, 11), r))


def test_a_returned_transfer_leaves_the_member_where_they_were() -> None:
    p = member()
    r = rules()
    p.send_transfer(OTHER, "乙", date(2026, 6, 1), "No.1", r)
    p.return_transfer(date(2026, 6, 5), "材料不全", r)
    assert p.branch_id == BRANCH and p.transfer is None


@pytest.mark.parametrize(("decided", "ok"), [(date(2026, 7, 1), False), (date(2026, 7, 2), True)])
def test_suspension_only_after_more_than_six_months_out_of_contact(decided: date, ok: bool) -> None:
    p = member()
    r = rules()
    p.report_lost_contact(date(2026, 1, 1), r)
    assert p.due["suspension_review"] == date(2026, 7, 2)  # 超过六个月
    if not ok:
        error = refused("standing.lost_contact_too_recent", lambda: p.suspend(decided, "党委", r))
        assert error.params["earliest"] == date(2026, 7, 2)
        return
    p.suspend(decided, "党委", r)
    assert p.standing == "suspended" and p.due["lapse_review"] == date(2028, 7, 2)
    assert not p.standing_on(decided).good_standing
    p.restore(date(2026, 8, 1), r)
    assert p.standing == "good" and p.due == {}


def test_lapsed_two_years_after_suspension_with_a_vote_and_approval() -> None:
    p = member()
    suspended_on = date(2024, 7, 2)
    apply_changes(
        p,
        {
            "lost_contact_since": date(2024, 1, 1),
            "standing": "suspended",
            "suspended_on": suspended_on,
        },
    )
    too_early = Lapse(date(2026, 7, 1), vote=vote(), approver=APPROVER)
    r = rules()
    refused("standing.suspension_too_recent", lambda: p.leave(ExitKind.LAPSED, too_early, r))
    p.leave(ExitKind.LAPSED, replace(too_early, on=date(2026, 7, 2)), r)
    assert (p.stage, p.exit_kind) == (Stage.EXITED, "lapsed")
    refused(
        "membership.already_exited",
        lambda: p.leave(ExitKind.DECEASED, Death(date(2026, 8, 1)), r),
    )


def test_lapsed_after_six_months_without_organisational_life() -> None:
    p = member()
    given = Lapse(
        date(2026, 10, 31),
        summary="no_organisational_life",
        since=date(2026, 5, 1),
        vote=vote(),
        approver=APPROVER,
    )
    refused("standing.absence_too_short", lambda: p.leave(ExitKind.LAPSED, given, rules()))
    p.leave(ExitKind.LAPSED, replace(given, on=date(2026, 11, 1)), rules())
    assert p.exit_kind == "lapsed"


def test_rectification_then_persuasion_then_removal() -> None:
    p = member()
    r = rules()
    refused(
        "rectification.period",
        lambda: p.order_rectification(date(2026, 5, 1), date(2027, 5, 2), r),
    )
    p.order_rectification(date(2026, 5, 1), date(2027, 5, 1), r)
    decision = Disposal(date(2026, 11, 1), vote=vote(), approver=APPROVER)
    refused("rectification.not_failed", lambda: p.leave(ExitKind.REMOVED, decision, r))
    p.conclude_rectification(date(2026, 11, 1), False, r)
    refused(
        "vote.quorum_not_met",
        lambda: p.leave(ExitKind.REMOVED, replace(decision, vote=vote(16, 8, 8)), r),
    )
    p.leave(ExitKind.REMOVED, decision, r)
    assert p.exit_kind == "removed"


def test_party_probation_takes_away_good_standing_while_it_runs() -> None:
    p = member()
    r = rules()
    p.record_party_probation(date(2026, 6, 1), date(2027, 6, 1), "纪发〔2026〕1号", r)
    assert not p.standing_on(date(2026, 12, 1)).good_standing
    assert p.standing_on(date(2027, 6, 2)).good_standing
    refused(
        "discipline.party_probation_period",
        lambda: p.record_party_probation(date(2026, 6, 1), date(2028, 6, 2), "x", r),
    )


def test_outflow_registration_contact_and_return() -> None:
    p = member()
    r = rules()
    p.register_outflow(date(2026, 5, 1), "深圳", "LD-001", r)
    assert p.due["outflow_contact"] == date(2026, 11, 1)
    p.record_outflow_contact(date(2026, 8, 1), r)
    assert p.due["outflow_contact"] == date(2027, 2, 1)
    p.end_outflow(date(2026, 9, 1), r)
    assert p.outflow is None and p.due == {}


def test_withdrawal_expulsion_and_death_are_exits_non_members_cannot_withdraw() -> None:
    p = member()
    p.leave(
        ExitKind.EXPELLED,
        ExitStatement(date(2026, 9, 1), summary="纪律处分决定", body="县纪委"),
        rules(),
    )
    assert (p.stage, p.exit_kind) == (Stage.EXITED, "expelled")
    refused(
        "development.may_not_reapply",
        lambda: p.take_step(
            Step.APPLICATION,
            Dated(date(2026, 10, 1)),
            rules(),
        ),
    )
    fresh = person(serial=3)
    refused(
        "membership.not_a_member",
        lambda: fresh.leave(
            ExitKind.WITHDRAWAL,
            ExitStatement(date(2026, 9, 1), summary="申请", body="支部大会"),
            rules(),
        ),
    )
    fresh.leave(ExitKind.DECEASED, Death(date(2026, 9, 1)), rules())
    assert fresh.exit_kind == "deceased"


def test_a_transferred_probationary_member_may_have_the_discussion_postponed_six_months() -> None:
    p = walk(person(), until=Step.CONVERSION_APPLICATION)  # probation ends 2026-04-01
    r = rules()
    refused(
        "development.postponement_not_transferred",
        lambda: p.postpone_conversion(date(2026, 3, 1), 3, "转入", r),
    )
    p.send_transfer(OTHER, "乙", date(2026, 1, 5), "No.9", r)
    p.accept_transfer(date(2026, 1, 20), r)
    refused(
        "development.postponement_length",
        lambda: p.postpone_conversion(date(2026, 3, 1), 7, "转入", r),
    )
    p.postpone_conversion(date(2026, 3, 1), 6, "转入不久", r)
    assert p.due["conversion"] == date(2026, 10, 1)
    assert p.probation_ends_on == date(2026, 4, 1)  # the 预备期 itself does not move
    refused(
        "development.postponement_used",
        lambda: p.postpone_conversion(date(2026, 3, 2), 1, "再推", r),
    )
