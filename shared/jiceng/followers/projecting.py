"""Fold a feed into read-model tables, each event's effect exactly once.

The position is updated in the transaction that applies the page, with a condition on the
position the page was read from. A page delivered twice, a second consumer racing this one,
or a crash mid-page therefore all leave the read model a fold of each event exactly once: the
page's writes and the position commit together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.followers.dead_letters import count_dead_letters
from jiceng.followers.follower import Follower
from jiceng.followers.rebuilding import shadow_rebuild
from jiceng.followers.sources import FeedSource
from jiceng.followers.status import Backoff, FollowerStatus, PositionMoved
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.projection import Projection
from jiceng.readmodel.tables import consumer_positions

log = logging.getLogger(__name__)

__all__ = ["Backoff", "FollowerStatus", "PositionMoved", "ProjectionFollower"]


class ProjectionFollower(Follower):
    """Follows a feed into a :class:`Projection`'s tables."""

    def __init__(
        self,
        name: str,
        source: FeedSource,
        projection: Projection,
        db: ReadModelDatabase,
        **options: Any,
    ) -> None:
        super().__init__(name, source, db, **options)
        self.projection = projection

    async def peek_position(self) -> int:
        async with self.db.engine.connect() as conn:
            stored = await self._stored(conn, consumer_positions.c.position)
        return int(stored or 0)

    async def _stored(self, conn: AsyncConnection, column: Any) -> Any:
        """One column of this subscription's stored row (None before its first run)."""
        query = select(column).where(consumer_positions.c.name == self.name)
        return (await conn.execute(query)).scalar_one_or_none()

    async def prepare_tables(self) -> bool:
        """Create the projection's tables if its stored version is the current one, without
        the subscription's lock (``jiceng migrate`` beside running followers); ``False`` when
        :meth:`load_position` must run: first time, or a new version to rebuild."""
        async with self.db.engine.begin() as conn:
            stored = await self._stored(conn, consumer_positions.c.projection_version)
            if stored != self.projection.version:
                return False
            await conn.run_sync(self.projection.metadata.create_all)
        return True

    async def load_position(self) -> int:
        """The stored position.

        A projection whose version changed is rebuilt beside its live tables and swapped in
        (the old tables serve reads meanwhile); the position returned is the new tables'.
        """
        await self.take_lock()
        async with self.db.engine.begin() as conn:
            row = (
                await conn.execute(
                    select(consumer_positions).where(consumer_positions.c.name == self.name)
                )
            ).one_or_none()
            if row is None or row.projection_version == self.projection.version:
                await conn.run_sync(self.projection.metadata.create_all)
            if row is None:
                await conn.execute(
                    insert(consumer_positions).values(
                        name=self.name,
                        position=0,
                        projection_version=self.projection.version,
                        updated_at=datetime.now(UTC),
                    )
                )
                return 0
            if row.projection_version == self.projection.version:
                return int(row.position)
        return await self._rebuild_new_version(int(row.projection_version))

    async def _rebuild_new_version(self, stored_version: int) -> int:
        log.info(
            "follower %s: projection version %s → %s; rebuilding beside the live tables",
            self.name,
            stored_version,
            self.projection.version,
        )
        self.status.state = "rebuilding"
        async with shadow_rebuild(self) as rebuild:
            async with self.db.engine.connect() as conn:
                row = (
                    await conn.execute(
                        select(consumer_positions).where(consumer_positions.c.name == self.name)
                    )
                ).one()
            if row.projection_version == self.projection.version:
                return int(row.position)  # another process rebuilt it while we waited
            await rebuild.replay()
            return await rebuild.swap()

    async def rebuild(self) -> None:
        """Replay the log from zero into shadow tables while the live ones serve, then swap
        them in with the position (see :mod:`jiceng.followers.rebuilding`)."""
        async with shadow_rebuild(self) as rebuild:
            await rebuild.replay()
            position = await rebuild.swap()
        self.status.dead_letters = await count_dead_letters(self.db, self.name)
        await self._advanced(position)

    async def commit(self, events: Sequence[FeedEvent], start: int, new_position: int) -> None:
        if not self.holds_lock():
            raise PositionMoved(self.name)
        async with self.db.engine.begin() as conn:
            await self._hold_position(conn, start)
            for event in events:
                await self.projection.handle(conn, event)
            await self._advance(conn, start, new_position)

    async def reapply(self, event: FeedEvent) -> None:
        async with self.db.engine.begin() as conn:
            await self.projection.handle(conn, event)

    async def skip(self, event: FeedEvent, start: int) -> None:
        async with self.db.engine.begin() as conn:
            await self._hold_position(conn, start)
            await self._advance(conn, start, event.id)

    async def _hold_position(self, conn: AsyncConnection, start: int) -> None:
        """Lock the position row before any table (PostgreSQL; SQLite's transaction holds the
        write lock already): a rebuild's swap takes the row first too, so a page waits for
        it holding nothing the swap needs, and then finds the position moved."""
        query = (
            select(consumer_positions.c.position)
            .where(consumer_positions.c.name == self.name)
            .with_for_update()
        )
        if (await conn.execute(query)).scalar_one_or_none() != start:
            raise PositionMoved(self.name)

    async def _advance(self, conn: AsyncConnection, start: int, new_position: int) -> None:
        result = await conn.execute(
            update(consumer_positions)
            .where(consumer_positions.c.name == self.name)
            .where(consumer_positions.c.position == start)
            .values(position=new_position, updated_at=datetime.now(UTC))
        )
        if result.rowcount != 1:
            raise PositionMoved(self.name)
