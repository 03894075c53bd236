"""Administrators' holiday notices, read by every working-day computation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.calendar import Notice, WorkingDayCalendar
from jiceng.eventlog.records import FeedEvent
from jiceng.readmodel.database import ReadModelDatabase

metadata = MetaData()

calendar_notices = Table(
    "calendar_notices",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("days_off", JSON, nullable=False),
    Column("workdays", JSON, nullable=False),
    Column("source", String(500), nullable=False),
)


class CalendarNoticesProjection:
    name = "calendar_notices"
    version = 1
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        if event.type not in ("CalendarNotice.Published", "CalendarNotice.Amended"):
            return
        payload = event.payload
        values = {
            "year": payload["year"],
            "days_off": payload["days_off"],
            "workdays": payload["workdays"],
            "source": payload["source"],
        }
        insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(
            calendar_notices
        )
        await conn.execute(
            insert.values(**values).on_conflict_do_update(
                index_elements=[calendar_notices.c.year],
                set_={k: v for k, v in values.items() if k != "year"},
            )
        )


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
