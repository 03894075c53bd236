"""An official holiday notice (节假日安排通知) an administrator records for a year."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_OID, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from jiceng.calendar import Notice


class CalendarNotice(Aggregate):
    """One year's days off and 调休 workdays; recording it again amends it."""

    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(NAMESPACE_OID, f"calendar-notice:{year}")

    @classmethod
    def publish(cls, notice: Notice) -> CalendarNotice:
        return cls(notice.year, sorted(notice.days_off), sorted(notice.workdays), notice.source)

    @event("Published")
    def __init__(self, year: int, days_off: list[date], workdays: list[date], source: str) -> None:
        self.year = year
        self._apply(days_off, workdays, source)

    def amend(self, notice: Notice) -> None:
        self._amended(notice.year, sorted(notice.days_off), sorted(notice.workdays), notice.source)

    @event("Amended")
    def _amended(self, year: int, days_off: list[date], workdays: list[date], source: str) -> None:
        self._apply(days_off, workdays, source)

    def _apply(self, days_off: list[date], workdays: list[date], source: str) -> None:
        self.days_off, self.workdays, self.source = list(days_off), list(workdays), source

    def notice(self) -> Notice:
        return Notice(self.year, frozenset(self.days_off), frozenset(self.workdays), self.source)
