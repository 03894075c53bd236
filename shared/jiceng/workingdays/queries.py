"""Reading the working-day copy: the calendar every working-day count uses."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from jiceng.calendar import Notice, WorkingDayCalendar
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.workingdays.projection import calendar_notices


async def working_day_calendar(db: ReadModelDatabase) -> WorkingDayCalendar:
    """The package's official years, with administrators' notices on top."""
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(calendar_notices))).all()
    return WorkingDayCalendar.with_overrides(
        Notice(
            r.year,
            frozenset(map(date.fromisoformat, r.days_off)),
            frozenset(map(date.fromisoformat, r.workdays)),
            r.source,
        )
        for r in rows
    )
