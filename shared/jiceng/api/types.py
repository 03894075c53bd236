"""Types of what clients send: dates as ISO 8601 within a sensible range, bounded numbers,
single-line names.

Pydantic on its own reads ``0`` or ``6.5e-94`` as a date (seconds since 1970) and accepts any
year up to 9999, where adding a few days to a deadline overflows. A date a client sends is a
string ``YYYY-MM-DD`` between :data:`EARLIEST` and :data:`LATEST`, or it is refused.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

#: Nobody on the register was born before, no record is dated before.
EARLIEST = date(1900, 1, 1)
#: Far enough for terms, plans and deadlines; far enough from 9999 to add years to it.
LATEST = date(2199, 12, 31)

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)


def _iso_day(value: Any) -> Any:
    if isinstance(value, datetime):
        raise ValueError("a date without a time is expected (YYYY-MM-DD)")
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("dates are ISO 8601 calendar dates (YYYY-MM-DD)")
    return date.fromisoformat(value)


def _within_range(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        msg = f"dates lie between {EARLIEST.isoformat()} and {LATEST.isoformat()}"
        raise ValueError(msg)
    return day


def _iso_moment(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_MOMENT.fullmatch(value):
        raise ValueError("moments are ISO 8601 date-times (YYYY-MM-DDTHH:MM:SS+08:00)")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _moment_within_range(moment: datetime) -> datetime:
    # The local date first: converting 9999-12-31T23:59-12:00 to UTC overflows.
    _within_range(moment.date())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: A calendar date a client sends (a step's date, a query's ``on``).
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_within_range)]
#: A moment a client sends; without an offset it is taken as UTC.
Moment = Annotated[datetime, BeforeValidator(_iso_moment), AfterValidator(_moment_within_range)]

#: People counted in one organisation (a branch has dozens, a province's committee millions).
MemberCount = Annotated[int, Field(ge=0, le=10_000_000)]
#: People employed or households served by one unit.
UnitCount = Annotated[int, Field(ge=0, le=10_000_000)]
