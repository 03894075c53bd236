"""Administrators' holiday notices, folded from ``CalendarNotice.*``."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.readmodel.upsert import upsert
from jiceng.workingdays.contract import TYPES, NoticeRecorded

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
        if event.type not in TYPES:
            return
        notice = NoticeRecorded.parse(event.payload)
        await upsert(
            conn,
            calendar_notices,
            {
                "year": notice.year,
                # As published, in the notice's order: a rebuild gives the same rows.
                "days_off": list(event.payload["days_off"]),
                "workdays": list(event.payload["workdays"]),
                "source": notice.source,
            },
        )
