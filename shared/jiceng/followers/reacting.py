"""Follow a feed and react with new events, recorded with the upstream position.

The upstream position is eventsourcing's tracking record, written by the process recorder
in the same transaction as the new events: an upstream event's consequences are stored
exactly once. The tracking upsert refuses a position at or below the stored one but accepts
gaps, so two followers reading pages of different lengths could both pass; a subscription
lock therefore lets one follower at a time run (the others wait on standby).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import anyio
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from jiceng.errors import StaleVersion
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.records import FeedEvent
from jiceng.followers.follower import Follower
from jiceng.followers.sources import FeedSource
from jiceng.followers.status import PositionMoved
from jiceng.readmodel.database import ReadModelDatabase


class Changes:
    """The aggregates a reaction loads and changes while one page is processed."""

    def __init__(self, app: EventLog) -> None:
        self.app = app
        self._aggregates: dict[UUID, Any] = {}

    def get(self, aggregate_id: UUID) -> Any | None:
        """The aggregate as changed so far in this page (None if it does not exist)."""
        if aggregate_id not in self._aggregates:
            try:
                self._aggregates[aggregate_id] = self.app.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
        return self._aggregates[aggregate_id]

    def add(self, aggregate: Any) -> None:
        self._aggregates[aggregate.id] = aggregate

    @property
    def aggregates(self) -> list[Any]:
        return list(self._aggregates.values())

    def attribute_pending(self, meta: EventMeta) -> None:
        """Attribute the events raised since the last call to ``meta``."""
        for aggregate in self._aggregates.values():
            for event in aggregate.pending_events:
                if "meta" not in vars(event):
                    object.__setattr__(event, "meta", meta.as_dict())


Reaction = Callable[[FeedEvent, Changes], None]


class ReactionFollower(Follower):
    def __init__(
        self,
        name: str,
        source: FeedSource,
        app: EventLog,
        reaction: Reaction,
        db: ReadModelDatabase,
        *,
        service: str,
        **options: Any,
    ) -> None:
        super().__init__(name, source, db, **options)
        self.app = app
        self.reaction = reaction
        self.service = service
        self.lock = SubscriptionLock.for_storage(app, name)

    async def load_position(self) -> int:
        while not await self.lock.acquire():
            self.status.state = "standby"
            await asyncio.sleep(2)
        return await anyio.to_thread.run_sync(self.app.tracked_position, self.source.upstream)

    async def stop(self, grace: float = 10.0) -> None:
        await super().stop(grace)
        await self.lock.release()

    def _meta_for(self, event: FeedEvent) -> EventMeta:
        return EventMeta(
            actor=f"service:{self.service}",
            reason=f"{self.source.upstream} {event.type}",
            correlation_id=event.correlation_id,
            causation_id=f"{self.source.upstream}:{event.id}",
        )

    async def commit(self, events: Sequence[FeedEvent], start: int, new_position: int) -> None:
        if not await self.lock.held():
            raise PositionMoved(self.name)

        def record() -> None:
            changes = Changes(self.app)
            for event in events:
                self.reaction(event, changes)
                changes.attribute_pending(self._meta_for(event))
            tracking = Tracking(self.source.upstream, new_position)
            self.app.save_processed(
                tracking, *changes.aggregates, meta=EventMeta(actor=f"service:{self.service}")
            )

        try:
            await anyio.to_thread.run_sync(record)
        except StaleVersion as error:
            # The tracking record is already at or past new_position, or an aggregate was
            # changed by someone else meanwhile: re-read the position and the aggregates.
            raise PositionMoved(self.name) from error

    async def skip(self, event: FeedEvent, start: int) -> None:
        tracking = Tracking(self.source.upstream, event.id)
        await anyio.to_thread.run_sync(
            lambda: self.app.save_processed(tracking, meta=EventMeta(actor="none"))
        )


class SubscriptionLock:
    """One follower per subscription: a PostgreSQL advisory lock, or a lock file for SQLite."""

    def __init__(self, name: str, postgres_url: str | None, lock_file: Path | None) -> None:
        self.name = name
        self.postgres_url = postgres_url
        self.lock_file = lock_file
        self._connection: Any = None
        self._file: IO[bytes] | None = None

    @classmethod
    def for_storage(cls, app: EventLog, name: str) -> SubscriptionLock:
        storage = app.storage
        if storage.kind == "postgres":
            return cls(f"{storage.schema}:{name}", storage.postgres_url, None)
        if storage.kind == "sqlite" and storage.directory is not None:
            safe = hashlib.sha256(name.encode()).hexdigest()[:16]
            return cls(name, None, storage.directory / f"follower-{safe}.lock")
        return cls(name, None, None)  # memory: one process by construction

    def _key(self) -> int:
        return int.from_bytes(hashlib.sha256(self.name.encode()).digest()[:8], "big", signed=True)

    async def acquire(self) -> bool:
        if self.postgres_url:
            import asyncpg

            if self._connection is None or self._connection.is_closed():
                self._connection = await asyncpg.connect(self.postgres_url, timeout=10)
            got = await self._connection.fetchval("SELECT pg_try_advisory_lock($1)", self._key())
            return bool(got)
        if self.lock_file:
            if self._file is None:
                self._file = self.lock_file.open("ab")
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
        return True

    async def held(self) -> bool:
        if self.postgres_url:
            return self._connection is not None and not self._connection.is_closed()
        return True

    async def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close(timeout=2)
            self._connection = None
        if self._file is not None:
            self._file.close()  # closing the file releases the flock
            self._file = None
