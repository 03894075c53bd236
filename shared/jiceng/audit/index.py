"""Audit read models of a service's own log: checkpoints, and events by correlation id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, MetaData, String, Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent

metadata = MetaData()

audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("event_id", BigInteger, primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("algorithm", String(10), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("signature", String(128), nullable=False),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("event_id", BigInteger, primary_key=True),
    Column("stream_id", String(64), nullable=False, index=True),
    Column("correlation_id", String(100), nullable=True),
    Column("type", String(200), nullable=False),
    Index("ix_audit_events_correlation", "correlation_id", "event_id"),
)


class AuditIndexProjection:
    name = "audit_index"
    version = 1
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        await conn.execute(
            insert(audit_events).values(
                event_id=event.id,
                stream_id=event.stream_id,
                correlation_id=event.correlation_id,
                type=event.type,
            )
        )
        if event.type == "AuditCheckpoint.Signed":
            payload = event.payload
            await conn.execute(
                insert(audit_checkpoints).values(
                    event_id=event.id,
                    position=payload["position"],
                    digest=payload["digest"],
                    algorithm=payload["algorithm"],
                    signed_at=datetime.fromisoformat(payload["signed_at"]),
                    public_key=payload["public_key"],
                    signature=payload["signature"],
                )
            )
