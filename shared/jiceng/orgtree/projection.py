"""Fold org-registry's events into ``org_nodes`` with a materialised path per node."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.orgtree import contract

metadata = MetaData()

org_nodes = Table(
    "org_nodes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("parent_id", String(36), nullable=True),
    # "/<root id>/.../<own id>/": a subtree is every path starting with its root's path.
    Column("path", String(4000), nullable=False),
    Column("depth", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("org_type", String(40), nullable=False),
    Column("domain", String(40), nullable=True),
    Column("established_on", Date, nullable=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_org_nodes_parent_name", "parent_id", "name", "id"),
    Index("ix_org_nodes_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
)


class OrgTreeProjection:
    name = "orgtree"
    version = 1
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        if event.type == contract.ESTABLISHED:
            await self._established(conn, event)
        elif event.type == contract.RENAMED:
            await conn.execute(
                update(org_nodes)
                .where(org_nodes.c.id == event.stream_id)
                .values(
                    name=event.payload["name"],
                    version=event.stream_version,
                    updated_at=event.occurred_at_datetime(),
                )
            )

    async def _established(self, conn: AsyncConnection, event: FeedEvent) -> None:
        payload = event.payload
        parent_id = payload.get("parent_id")
        path, depth = f"/{event.stream_id}/", 0
        if parent_id:
            parent = (
                await conn.execute(
                    select(org_nodes.c.path, org_nodes.c.depth).where(org_nodes.c.id == parent_id)
                )
            ).one_or_none()
            if parent is None:
                msg = f"parent {parent_id} of {event.stream_id} is not in the tree"
                raise LookupError(msg)
            path, depth = f"{parent.path}{event.stream_id}/", parent.depth + 1
        values = {
            "id": event.stream_id,
            "parent_id": parent_id,
            "path": path,
            "depth": depth,
            "name": payload["name"],
            "org_type": payload["org_type"],
            "domain": payload.get("domain"),
            "established_on": _date(payload.get("established_on")),
            "version": event.stream_version,
            "updated_at": event.occurred_at_datetime(),
        }
        dialect = conn.dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(org_nodes)
        # Upsert: replaying the same event (a rebuild into live tables) must not fail.
        await conn.execute(
            statement.values(**values).on_conflict_do_update(
                index_elements=[org_nodes.c.id], set_=values
            )
        )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
