"""Working days (工作日): official holidays and 调休 per year, and nothing guessed.

A year's schedule is official when the State Council's notice for it is known: from the
``holidays`` package (which carries the notices' substituted days for the years it has them)
or from a notice an administrator recorded. Any computation touching a year without an
official schedule is refused with ``calendar.year_not_official``: a deadline of "N working
days" computed on a guess would be a defect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from holidays.countries.china import China, ChinaStaticHolidays

from jiceng.errors import InvalidInput, RuleViolation

#: Stop scanning for working days after this many calendar days (no year has such a gap).
_MAX_SCAN_DAYS = 3660


@dataclass(frozen=True)
class Notice:
    """One year's official schedule: weekdays off and weekend days worked (调休)."""

    year: int
    days_off: frozenset[date]
    workdays: frozenset[date]
    source: str

    def __post_init__(self) -> None:
        strays = sorted(d for d in self.days_off | self.workdays if d.year != self.year)
        if strays:
            raise InvalidInput("calendar.date_outside_year", year=self.year, dates=strays)
        both = sorted(self.days_off & self.workdays)
        if both:
            raise InvalidInput("calendar.day_off_and_workday", dates=both)
        weekdays_worked = sorted(d for d in self.workdays if d.weekday() < 5)
        if weekdays_worked:
            raise InvalidInput("calendar.workday_not_weekend", dates=weekdays_worked)


@cache
def official_notices() -> dict[int, Notice]:
    """The notices the ``holidays`` package carries (the years with substituted days)."""
    notices: dict[int, Notice] = {}
    for year in sorted(ChinaStaticHolidays.special_public_holidays):
        calendar = China(years=year)  # type: ignore[no-untyped-call]
        days_off = frozenset(d for d in calendar if d.year == year)
        workdays = frozenset(d for d in calendar.weekend_workdays if d.year == year)
        notices[year] = Notice(
            year,
            days_off,
            workdays - days_off,
            source="国务院办公厅节假日安排通知（holidays 数据包）",
        )
    return notices


class WorkingDayCalendar:
    def __init__(self, notices: Mapping[int, Notice]) -> None:
        self.notices = dict(notices)

    @classmethod
    def with_overrides(cls, overrides: Iterable[Notice] = ()) -> WorkingDayCalendar:
        """The package's notices, replaced year by year by administrators' notices."""
        notices = dict(official_notices())
        notices.update({notice.year: notice for notice in overrides})
        return cls(notices)

    def is_official(self, year: int) -> bool:
        return year in self.notices

    def _notice(self, day: date) -> Notice:
        notice = self.notices.get(day.year)
        if notice is None:
            raise RuleViolation(
                "calendar.year_not_official",
                year=day.year,
                official_years=f"{min(self.notices)}–{max(self.notices)}",
            )
        return notice

    def is_working_day(self, day: date) -> bool:
        notice = self._notice(day)
        if day in notice.workdays:
            return True
        return day.weekday() < 5 and day not in notice.days_off

    def nth_working_day(self, start: date, n: int) -> date:
        """The date on which ``n`` working days have passed, counting ``start`` if it is one.

        A 公示 of five working days published on Monday of an ordinary week ends on Friday.
        """
        if n < 1:
            raise InvalidInput("calendar.count_not_positive", count=n)
        day, counted = start, 0
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                counted += 1
                if counted == n:
                    return day
            day += timedelta(days=1)
        raise AssertionError("no working day found")  # pragma: no cover

    def count_working_days(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included."""
        if last < first:
            return 0
        return sum(
            self.is_working_day(first + timedelta(days=offset))
            for offset in range((last - first).days + 1)
        )
