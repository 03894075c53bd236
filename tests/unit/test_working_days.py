"""Working days: official holidays, 调休 Saturdays, boundaries, and years without data."""

from __future__ import annotations

from datetime import date

import pytest

from jiceng.calendar import Notice, WorkingDayCalendar
from jiceng.errors import InvalidInput, RuleViolation

CALENDAR = WorkingDayCalendar.with_overrides()


def test_an_ordinary_week() -> None:
    # 2026-11-23 is a Monday: a five-working-day notice ends on Friday.
    assert CALENDAR.nth_working_day(date(2026, 11, 23), 5) == date(2026, 11, 27)
    # Published on a Saturday, the count starts on Monday.
    assert CALENDAR.nth_working_day(date(2026, 11, 21), 5) == date(2026, 11, 27)


def test_a_notice_spanning_national_day_and_its_make_up_saturday() -> None:
    # 2026: 10/1–10/7 off; Sunday 9/20 and Saturday 10/10 are worked (调休).
    assert CALENDAR.is_working_day(date(2026, 9, 20))
    assert CALENDAR.is_working_day(date(2026, 10, 10))
    assert not CALENDAR.is_working_day(date(2026, 10, 6))
    assert CALENDAR.nth_working_day(date(2026, 9, 28), 5) == date(2026, 10, 9)
    assert CALENDAR.nth_working_day(date(2026, 10, 8), 5) == date(2026, 10, 13)
    assert CALENDAR.count_working_days(date(2026, 9, 28), date(2026, 10, 13)) == 8


def test_the_day_before_and_the_day_a_period_ends() -> None:
    end = CALENDAR.nth_working_day(date(2026, 9, 18), 5)  # Fri, Sun(调休), Mon, Tue, Wed
    assert end == date(2026, 9, 23)
    assert CALENDAR.count_working_days(date(2026, 9, 18), date(2026, 9, 22)) == 4
    assert CALENDAR.count_working_days(date(2026, 9, 18), end) == 5


def test_a_year_without_official_data_is_refused_not_guessed() -> None:
    with pytest.raises(RuleViolation) as refused:
        CALENDAR.nth_working_day(date(2026, 12, 28), 5)  # runs into 2027
    assert (refused.value.code, refused.value.params["year"]) == (
        "calendar.year_not_official",
        2027,
    )


def test_an_administrators_notice_makes_a_year_official() -> None:
    notice = Notice(
        2027,
        days_off=frozenset({date(2027, 1, 1)}),
        workdays=frozenset({date(2027, 1, 2)}),  # a Saturday
        source="国办发明电〔2026〕×号",
    )
    calendar = WorkingDayCalendar.with_overrides([notice])
    assert calendar.is_official(2027)
    assert calendar.nth_working_day(date(2026, 12, 31), 2) == date(2027, 1, 2)


@pytest.mark.parametrize(
    ("days_off", "workdays", "code"),
    [
        ({date(2026, 1, 1)}, set(), "calendar.date_outside_year"),
        ({date(2027, 1, 2)}, {date(2027, 1, 2)}, "calendar.day_off_and_workday"),
        (set(), {date(2027, 1, 4)}, "calendar.workday_not_weekend"),  # a Monday
    ],
)
def test_a_malformed_notice_is_refused(days_off: set[date], workdays: set[date], code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Notice(2027, frozenset(days_off), frozenset(workdays), "x")
    assert refused.value.code == code
