"""公示 in working days, and objections that suspend the step (rule book §2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from jiceng.errors import JicengError
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import NoticePoint, Stage, Step
from path_support import given_for, person, rules, walk

UNIVERSITY = "university-2012"  # 公示 at the four usual points, five working days


def refused(code: str, act: object) -> JicengError:
    with pytest.raises(JicengError) as caught:
        act()  # type: ignore[operator]
    assert caught.value.code == code, caught.value.params
    return caught.value


def applicant_before_designation() -> Person:
    p = person()
    walk(p, until=Step.ACTIVIST_DESIGNATION, pack=UNIVERSITY)
    return p


def designate(p: Person, on: date) -> None:
    given = replace(given_for(Step.ACTIVIST_DESIGNATION), on=on)
    p.take_step(Step.ACTIVIST_DESIGNATION, given, rules(UNIVERSITY))


def test_a_notice_across_national_day_counts_the_make_up_saturday() -> None:
    p = applicant_before_designation()
    # 9/30 (Wed), then 10/1–10/7 off, 10/8 (Thu), 10/9 (Fri), 10/10 (Sat, 调休 worked), 10/12.
    p.hold_notice(NoticePoint.ACTIVIST, date(2026, 9, 30), 5, rules(UNIVERSITY))
    assert p.notices["activist"]["ends_on"] == date(2026, 10, 12)
    error = refused("notice.not_finished", lambda: designate(p, date(2026, 10, 12)))
    assert error.params["ends_on"] == date(2026, 10, 12)
    designate(p, date(2026, 10, 13))
    assert p.stage == Stage.ACTIVIST


def test_a_notice_shorter_than_the_pack_is_refused() -> None:
    p = applicant_before_designation()
    error = refused(
        "notice.too_short",
        lambda: p.hold_notice(NoticePoint.ACTIVIST, date(2026, 9, 30), 4, rules(UNIVERSITY)),
    )
    assert (error.params["minimum"], error.params["pack"]) == (5, "university-2012@1")


def test_a_notice_in_a_year_without_official_data_is_refused() -> None:
    p = applicant_before_designation()
    refused(
        "calendar.year_not_official",
        lambda: p.hold_notice(NoticePoint.ACTIVIST, date(2026, 12, 28), 5, rules(UNIVERSITY)),
    )


def test_an_objection_suspends_until_dismissed_then_the_step_resumes() -> None:
    p = applicant_before_designation()
    p.hold_notice(NoticePoint.ACTIVIST, date(2026, 9, 28), 5, rules(UNIVERSITY))
    p.receive_objection(NoticePoint.ACTIVIST, date(2026, 9, 29), "反映该同志……")
    refused("notice.objection_pending", lambda: designate(p, date(2026, 10, 20)))
    p.conclude_objection(NoticePoint.ACTIVIST, date(2026, 10, 16), False, "经核实不属实")
    designate(p, date(2026, 10, 20))
    assert p.stage == Stage.ACTIVIST


def test_an_upheld_objection_fails_the_step_and_a_new_notice_may_follow() -> None:
    p = applicant_before_designation()
    p.hold_notice(NoticePoint.ACTIVIST, date(2026, 9, 28), 5, rules(UNIVERSITY))
    p.receive_objection(NoticePoint.ACTIVIST, date(2026, 10, 9), "反映……")
    p.conclude_objection(NoticePoint.ACTIVIST, date(2026, 10, 16), True, "经核实属实")
    refused("notice.objection_upheld", lambda: designate(p, date(2026, 10, 20)))
    refused(
        "notice.objection_upheld",
        lambda: p.receive_objection(NoticePoint.ACTIVIST, date(2026, 10, 9), "又一条"),
    )
    p.hold_notice(NoticePoint.ACTIVIST, date(2026, 11, 2), 5, rules(UNIVERSITY))
    designate(p, date(2026, 11, 9))


def test_objections_only_within_the_period_and_conclusions_only_of_open_ones() -> None:
    p = applicant_before_designation()
    p.hold_notice(NoticePoint.ACTIVIST, date(2026, 9, 28), 5, rules(UNIVERSITY))
    refused(
        "notice.objection_outside_period",
        lambda: p.receive_objection(NoticePoint.ACTIVIST, date(2026, 10, 10), "晚了"),
    )
    refused(
        "notice.no_open_objection",
        lambda: p.conclude_objection(NoticePoint.ACTIVIST, date(2026, 10, 16), False, "无"),
    )
    refused(
        "notice.already_held",
        lambda: p.hold_notice(NoticePoint.ACTIVIST, date(2026, 10, 12), 5, rules(UNIVERSITY)),
    )


def test_a_notice_point_belongs_to_its_stage() -> None:
    p = applicant_before_designation()
    refused(
        "notice.not_in_stage",
        lambda: p.hold_notice(NoticePoint.CONVERSION, date(2026, 9, 28), 5, rules(UNIVERSITY)),
    )


def test_a_notice_held_without_the_pack_requiring_it_is_still_waited_for() -> None:
    p = person()
    walk(p, until=Step.ACTIVIST_DESIGNATION)  # national pack: no 公示 required
    p.hold_notice(NoticePoint.ACTIVIST, date(2026, 9, 30), 5, rules())
    given = replace(given_for(Step.ACTIVIST_DESIGNATION), on=date(2026, 10, 12))
    refused("notice.not_finished", lambda: p.take_step(Step.ACTIVIST_DESIGNATION, given, rules()))
    p.receive_objection(NoticePoint.ACTIVIST, date(2026, 10, 9), "反映")
    later = replace(given, on=date(2026, 10, 20))
    refused(
        "notice.objection_pending", lambda: p.take_step(Step.ACTIVIST_DESIGNATION, later, rules())
    )


def test_the_notice_end_leaves_the_to_do_list_with_the_decision() -> None:
    p = applicant_before_designation()
    p.hold_notice(NoticePoint.ACTIVIST, date(2026, 9, 30), 5, rules(UNIVERSITY))
    assert p.due["public_notice_end"] == date(2026, 10, 12)
    designate(p, date(2026, 10, 13))
    assert "public_notice_end" not in p.due
