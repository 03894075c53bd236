"""The calendar events member-lifecycle publishes (``CalendarNotice.*``), typed for readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

STREAM = "member-lifecycle"
PUBLISHED = "CalendarNotice.Published"
AMENDED = "CalendarNotice.Amended"
TYPES = (PUBLISHED, AMENDED)


@dataclass(frozen=True)
class NoticeRecorded:
    """A year's official notice as recorded (published or amended): its days off, its
    make-up workdays (调休) and where it was published."""

    year: int
    days_off: frozenset[date]
    workdays: frozenset[date]
    source: str

    @classmethod
    def parse(cls, payload: dict[str, Any]) -> NoticeRecorded:
        year = payload["year"]
        if not isinstance(year, int) or isinstance(year, bool):
            msg = f"CalendarNotice.year must be an integer, not {year!r}"
            raise ValueError(msg)
        return cls(
            year=year,
            days_off=frozenset(map(date.fromisoformat, payload["days_off"])),
            workdays=frozenset(map(date.fromisoformat, payload["workdays"])),
            source=str(payload["source"]),
        )
