"""Fold org-registry's events into ``org_nodes`` with a materialised path per node.

The path column sorts bytewise ("C" collation on PostgreSQL, SQLite's default), so a subtree
is one index range ``[path, path + '0')`` (``'/'`` + 1 = ``'0'``), served in tree order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.orgtree import contract
from jiceng.readmodel.upsert import upsert

metadata = MetaData()

BinaryString = String(4000).with_variant(String(4000, collation="C"), "postgresql")

org_nodes = Table(
    "org_nodes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("parent_id", String(36), nullable=True),
    # "/<root id>/.../<own id>/": a subtree is every path starting with its root's path.
    Column("path", BinaryString, nullable=False),
    Column("depth", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("short_name", String(100), nullable=True),
    Column("code", String(50), nullable=True),
    Column("region_code", String(12), nullable=True),
    Column("org_type", String(40), nullable=False),
    Column("domain", String(40), nullable=True),
    Column("student_branch", Boolean, nullable=False, default=False),
    Column("status", String(20), nullable=False, default=contract.ACTIVE),
    Column("established_on", Date, nullable=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_org_nodes_parent_name", "parent_id", "name", "id"),
    Index("ix_org_nodes_path", "path", unique=True),
    Index("ix_org_nodes_code", "code"),
)

#: Which policy pack an organisation's subtree follows from which date.
org_policy_assignments = Table(
    "org_policy_assignments",
    metadata,
    Column("org_id", String(36), primary_key=True),
    Column("effective_from", Date, primary_key=True),
    Column("pack_id", String(100), nullable=False),
)


def subtree_range(path: str) -> tuple[str, str]:
    """Lower and upper bound of the paths in the subtree rooted at ``path``."""
    return path, path[:-1] + "0"


class OrgTreeProjection:
    name = "orgtree"
    version = 2
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        handler = {
            contract.ESTABLISHED: self._established,
            contract.RENAMED: self._renamed,
            contract.REAFFILIATED: self._reaffiliated,
            contract.DISSOLVED: self._status(contract.Dissolved, contract.DISSOLVED_STATUS),
            contract.MERGED: self._status(contract.Merged, contract.MERGED_STATUS),
            contract.RESTORED: self._status(contract.Restored, contract.ACTIVE),
            contract.PACK_ASSIGNED: self._pack_assigned,
        }.get(event.type)
        if handler is not None:
            await handler(conn, event)
        elif event.type.startswith(contract.EVENT_PREFIX):
            await self._touch(conn, event)

    async def _established(self, conn: AsyncConnection, event: FeedEvent) -> None:
        payload = contract.parse(contract.Established, event.payload)
        parent_id = str(payload.parent_id) if payload.parent_id else None
        path, depth = f"/{event.stream_id}/", 0
        if parent_id:
            parent = await self._node(conn, parent_id)
            path, depth = f"{parent.path}{event.stream_id}/", parent.depth + 1
        values = {
            "id": event.stream_id,
            "parent_id": parent_id,
            "path": path,
            "depth": depth,
            "name": payload.name,
            "short_name": payload.short_name,
            "code": payload.code,
            "region_code": payload.region_code,
            "org_type": payload.org_type,
            "domain": payload.domain,
            "student_branch": payload.student_branch,
            "status": contract.ACTIVE,
            "established_on": payload.established_on,
            "version": event.stream_version,
            "updated_at": event.occurred_at_datetime(),
        }
        # Upsert: replaying the same event (a rebuild into live tables) must not fail.
        await upsert(conn, org_nodes, values)

    async def _renamed(self, conn: AsyncConnection, event: FeedEvent) -> None:
        payload = contract.parse(contract.Renamed, event.payload)
        changes: dict[str, object] = {"name": payload.name}
        if "short_name" in event.payload:  # an event without one leaves the short name alone
            changes["short_name"] = payload.short_name
        await self._touch(conn, event, **changes)

    async def _reaffiliated(self, conn: AsyncConnection, event: FeedEvent) -> None:
        payload = contract.parse(contract.Reaffiliated, event.payload)
        parent_id = str(payload.parent_id)
        node = await self._node(conn, event.stream_id)
        parent = await self._node(conn, parent_id)
        new_path = f"{parent.path}{event.stream_id}/"
        delta = parent.depth + 1 - node.depth
        low, high = subtree_range(node.path)
        await conn.execute(
            update(org_nodes)
            .where(org_nodes.c.path >= low, org_nodes.c.path < high)
            .values(
                path=literal(new_path, String).concat(
                    func.substr(org_nodes.c.path, len(node.path) + 1, type_=String)
                ),
                depth=org_nodes.c.depth + delta,
            )
        )
        await self._touch(conn, event, parent_id=parent_id)

    def _status(
        self, kind: type[contract.Payload], status: str
    ) -> Callable[[AsyncConnection, FeedEvent], Awaitable[None]]:
        async def apply(conn: AsyncConnection, event: FeedEvent) -> None:
            contract.parse(kind, event.payload)  # a malformed event stops here, not later
            await self._touch(conn, event, status=status)

        return apply

    async def _pack_assigned(self, conn: AsyncConnection, event: FeedEvent) -> None:
        payload = contract.parse(contract.PolicyPackAssigned, event.payload)
        values = {
            "org_id": event.stream_id,
            "effective_from": payload.effective_from,
            "pack_id": payload.pack_id,
        }
        await upsert(conn, org_policy_assignments, values)
        await self._touch(conn, event)

    async def _touch(self, conn: AsyncConnection, event: FeedEvent, **changes: object) -> None:
        await conn.execute(
            update(org_nodes)
            .where(org_nodes.c.id == event.stream_id)
            .values(
                version=event.stream_version, updated_at=event.occurred_at_datetime(), **changes
            )
        )

    async def _node(self, conn: AsyncConnection, org_id: str):  # type: ignore[no-untyped-def]
        node = (
            await conn.execute(
                select(org_nodes.c.path, org_nodes.c.depth).where(org_nodes.c.id == org_id)
            )
        ).one_or_none()
        if node is None:
            msg = f"organisation {org_id} is not in the tree"
            raise LookupError(msg)
        return node
