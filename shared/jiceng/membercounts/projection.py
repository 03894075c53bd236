"""Member counts per organisation, folded from member-lifecycle's ``OrgMembership.Counted``."""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.membercounts.contract import MEMBERS_COUNTED, MembersCounted
from jiceng.readmodel.upsert import upsert

metadata = MetaData()

member_counts = Table(
    "member_counts",
    metadata,
    Column("org_id", String(36), primary_key=True),
    Column("formal", Integer, nullable=False),
    Column("probationary", Integer, nullable=False),
    Column("activists", Integer, nullable=False),
    Column("candidates", Integer, nullable=False),
    Column("as_of", Date, nullable=True),
    Column("event_id", Integer, nullable=False),
)


class MemberCountsProjection:
    name = "member_counts"
    version = 1
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        if event.type != MEMBERS_COUNTED:
            return
        counted = MembersCounted.parse(event.payload)
        await upsert(
            conn,
            member_counts,
            {
                "org_id": str(counted.org_id),
                "formal": counted.formal,
                "probationary": counted.probationary,
                "activists": counted.activists,
                "candidates": counted.candidates,
                "as_of": counted.as_of,
                "event_id": event.id,
            },
        )
