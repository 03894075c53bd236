"""Follow a feed and fold it into a read model, each event's effect exactly once.

The upstream position is updated in the transaction that applies the page, with a condition
on the position the page was read from. A page delivered twice, a second consumer racing
this one, or a crash mid-page therefore all leave the read model as a fold of each event
exactly once: the page's writes and the position commit together or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.consumer.sources import FeedSource, UpstreamUnavailable
from jiceng.eventlog.records import FeedEvent
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.projection import Projection
from jiceng.readmodel.tables import consumer_positions, dead_letters

log = logging.getLogger(__name__)


class PositionMoved(Exception):
    """Another writer advanced this consumer's position first; re-read it."""


@dataclass
class ConsumerStatus:
    name: str
    upstream: str
    state: str = "starting"
    position: int = 0
    head: int = 0
    last_error: str | None = None
    dead_letters: int = 0
    pages: int = 0
    last_progress_at: datetime | None = None

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)


@dataclass
class Backoff:
    first: float = 0.2
    cap: float = 10.0
    _next: float = field(init=False, default=0.0)

    def reset(self) -> None:
        self._next = 0.0

    def next_delay(self) -> float:
        self._next = self.first if self._next == 0 else min(self._next * 2, self.cap)
        return self._next


class Consumer:
    def __init__(
        self,
        name: str,
        source: FeedSource,
        projection: Projection,
        db: ReadModelDatabase,
        *,
        page_size: int = 200,
        wait: float = 20.0,
        max_attempts: int = 5,
        backoff: Backoff | None = None,
        poll_interval: float = 0.5,
    ) -> None:
        self.name = name
        self.source = source
        self.projection = projection
        self.db = db
        self.page_size = page_size
        self.wait = wait
        self.max_attempts = max_attempts
        self.backoff = backoff or Backoff()
        self.poll_interval = poll_interval
        self.status = ConsumerStatus(name=name, upstream=source.upstream)
        self._progress = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"consumer:{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.status.state = "stopped"

    async def run(self) -> None:
        """Follow the feed until cancelled, surviving upstream and storage outages."""
        while True:
            try:
                await self.prepare()
                while True:
                    applied = await self.step(wait=self.wait)
                    self.backoff.reset()
                    # A source that cannot long-poll (wait=0) is polled, not spun on.
                    await asyncio.sleep(0 if applied or self.wait > 0 else self.poll_interval)
            except asyncio.CancelledError:
                raise
            except (UpstreamUnavailable, OSError) as error:
                self._record_error("disconnected", error)
            except Exception as error:
                log.exception("consumer %s failed", self.name)
                self._record_error("failing", error)
            await asyncio.sleep(self.backoff.next_delay())

    def _record_error(self, state: str, error: BaseException) -> None:
        self.status.state = state
        self.status.last_error = f"{type(error).__name__}: {error}"[:500]
        log.warning("consumer %s %s: %s", self.name, state, self.status.last_error)

    async def prepare(self) -> None:
        """Load the position; reset the read model when the projection's version changed."""
        async with self.db.engine.begin() as conn:
            row = (
                await conn.execute(
                    select(consumer_positions).where(consumer_positions.c.name == self.name)
                )
            ).one_or_none()
            now = datetime.now(UTC)
            if row is None:
                await conn.run_sync(self.projection.metadata.create_all)
                await conn.execute(
                    insert(consumer_positions).values(
                        name=self.name,
                        position=0,
                        projection_version=self.projection.version,
                        updated_at=now,
                    )
                )
                self.status.position = 0
            elif row.projection_version != self.projection.version:
                log.info(
                    "consumer %s: projection version %s → %s, rebuilding from zero",
                    self.name,
                    row.projection_version,
                    self.projection.version,
                )
                await self._reset(conn)
            else:
                await conn.run_sync(self.projection.metadata.create_all)
                self.status.position = int(row.position)
            self.status.dead_letters = await self._count_dead_letters(conn)

    async def rebuild(self) -> None:
        """Drop the read model's tables and start again from position zero."""
        async with self.db.engine.begin() as conn:
            await self._reset(conn)

    async def _reset(self, conn: AsyncConnection) -> None:
        await conn.run_sync(self.projection.metadata.drop_all)
        await conn.run_sync(self.projection.metadata.create_all)
        await conn.execute(dead_letters.delete().where(dead_letters.c.consumer == self.name))
        await conn.execute(
            update(consumer_positions)
            .where(consumer_positions.c.name == self.name)
            .values(
                position=0,
                projection_version=self.projection.version,
                updated_at=datetime.now(UTC),
            )
        )
        self.status.position = 0

    async def _count_dead_letters(self, conn: AsyncConnection) -> int:
        rows = await conn.execute(
            select(dead_letters.c.id).where(dead_letters.c.consumer == self.name)
        )
        return len(rows.all())

    # -- one page ---------------------------------------------------------------------------
    async def step(self, wait: float = 0.0) -> int:
        """Read one page (long-polling up to ``wait``) and apply it; return events applied."""
        page = await self.source.read(self.status.position, self.page_size, wait)
        self.status.head = max(page.head, self.status.head)
        start = self.status.position
        fresh = [e for e in page.events if e.id > start]
        new_position = max(page.next_after, start)
        if self.status.state != "running":
            self.status.state = "running"
        if new_position == start:
            return 0
        try:
            await self._commit(fresh, start, new_position)
        except PositionMoved:
            await self.prepare()
            return 0
        except Exception as error:
            if not fresh:
                raise
            log.warning(
                "consumer %s: page after %s failed (%s); one by one", self.name, start, error
            )
            await self._apply_one_by_one(fresh, start, new_position)
        self.status.pages += 1
        return len(fresh)

    async def _commit(self, events: Sequence[FeedEvent], start: int, new_position: int) -> None:
        async with self.db.engine.begin() as conn:
            for event in events:
                await self.projection.handle(conn, event)
            await self._advance(conn, start, new_position)
        await self._advanced(new_position)

    async def _advance(self, conn: AsyncConnection, start: int, new_position: int) -> None:
        result = await conn.execute(
            update(consumer_positions)
            .where(consumer_positions.c.name == self.name)
            .where(consumer_positions.c.position == start)
            .values(position=new_position, updated_at=datetime.now(UTC))
        )
        if result.rowcount != 1:
            raise PositionMoved(self.name)

    async def _advanced(self, position: int) -> None:
        self.status.position = position
        self.status.last_progress_at = datetime.now(UTC)
        self.status.last_error = None
        async with self._progress:
            self._progress.notify_all()

    async def _apply_one_by_one(
        self, events: Sequence[FeedEvent], start: int, new_position: int
    ) -> None:
        position = start
        for event in events:
            await self._apply_with_retries(event, position)
            position = event.id
        if new_position > position:
            async with self.db.engine.begin() as conn:
                await self._advance(conn, position, new_position)
            await self._advanced(new_position)

    async def _apply_with_retries(self, event: FeedEvent, position: int) -> None:
        delay = self.backoff.first
        error: Exception | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self._commit([event], position, event.id)
                return
            except PositionMoved:
                raise
            except Exception as exc:
                error = exc
                log.warning(
                    "consumer %s: event %s attempt %s/%s failed: %r",
                    self.name,
                    event.id,
                    attempt,
                    self.max_attempts,
                    exc,
                )
                if attempt < self.max_attempts:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, self.backoff.cap)
        assert error is not None
        await self._dead_letter(event, position, error)

    async def _dead_letter(self, event: FeedEvent, position: int, error: Exception) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(
                insert(dead_letters).values(
                    consumer=self.name,
                    event_id=event.id,
                    event_type=event.type,
                    stream_id=event.stream_id,
                    error=f"{type(error).__name__}: {error}"[:2000],
                    attempts=self.max_attempts,
                    event=event.as_dict(),
                    recorded_at=datetime.now(UTC),
                )
            )
            await self._advance(conn, position, event.id)
        self.status.dead_letters += 1
        log.error("consumer %s: event %s dead-lettered: %r", self.name, event.id, error)
        await self._advanced(event.id)

    # -- waiting ----------------------------------------------------------------------------
    async def wait_for(self, position: int, timeout: float) -> bool:
        """Wait until this consumer has applied the log up to ``position``."""

        async def reached() -> None:
            async with self._progress:
                await self._progress.wait_for(lambda: self.status.position >= position)

        try:
            await asyncio.wait_for(reached(), timeout)
        except TimeoutError:
            return False
        return True

    async def catch_up(self, timeout: float = 60.0) -> None:
        """Apply pages until the upstream head at the time of the call is reached."""
        await self.prepare()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        page_count = await self.step()
        target = self.status.head
        while self.status.position < target or page_count:
            if loop.time() > deadline:
                msg = f"consumer {self.name} did not catch up to {target} in {timeout}s"
                raise TimeoutError(msg)
            page_count = await self.step()
            if self.status.position >= target:
                break
