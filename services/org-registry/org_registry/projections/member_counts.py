"""Member counts per organisation, as member-lifecycle publishes them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, Integer, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng import membership_contract
from jiceng.eventlog.records import FeedEvent
from org_registry.projections.upsert import upsert

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
        if event.type != membership_contract.MEMBERS_COUNTED:
            return
        payload = membership_contract.members_counted(event)
        await upsert(
            conn,
            member_counts,
            {
                "org_id": payload["org_id"],
                "formal": int(payload.get("formal", 0)),
                "probationary": int(payload.get("probationary", 0)),
                "activists": int(payload.get("activists", 0)),
                "candidates": int(payload.get("candidates", 0)),
                "as_of": date.fromisoformat(payload["as_of"]) if payload.get("as_of") else None,
                "event_id": event.id,
            },
        )
