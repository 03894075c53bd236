"""What every feed follower shares: the follow loop, retries, dead letters, lag, waiting.

A kind of follower says how to load its position, how to apply a page together with the new
position in one transaction, and how to set aside an event that keeps failing.

A transient fault (see :mod:`jiceng.followers.faults`) is retried with backoff for as long as
it lasts and never dead-letters anything. An event that fails deterministically, or that
cannot be decoded, is set aside after a few tries, and the follower reports it (``/readyz``
degraded, the dead-letter metric). Waiters wake on every change of the position, including a
move made by another process of the same subscription.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TypeVar

from jiceng.eventlog.records import UNDECODABLE, FeedEvent
from jiceng.followers.dead_letters import count_dead_letters, record_dead_letter
from jiceng.followers.faults import is_transient
from jiceng.followers.locks import LockSession
from jiceng.followers.sources import FeedSource, UpstreamUnavailable
from jiceng.followers.status import Backoff, FollowerStatus, PositionMoved
from jiceng.followers.waiting import Waiting
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.redaction import safe_error_text, safe_traceback
from jiceng.tracing import Tracing

T = TypeVar("T")

log = logging.getLogger(__name__)


class Follower(Waiting, ABC):
    #: Names the span of a page applied: ``fold org-registry:orgtree``.
    span_verb = "fold"

    def __init__(
        self,
        name: str,
        source: FeedSource,
        db: ReadModelDatabase,
        *,
        page_size: int = 200,
        wait: float = 20.0,
        max_attempts: int = 3,
        backoff: Backoff | None = None,
        poll_interval: float = 0.5,
        locks: LockSession | None = None,
        tracing: Tracing | None = None,
    ) -> None:
        self.name = name
        self.source = source
        self.db = db
        self.page_size = page_size
        self.wait = wait
        self.max_attempts = max_attempts
        self.backoff = backoff or Backoff()
        self.poll_interval = poll_interval
        #: One active follower per subscription across processes (None: this one only).
        self.locks = locks
        self.tracing = tracing or Tracing()
        self.status = FollowerStatus(name=name, upstream=source.upstream)
        self._progress = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._writing = False
        #: While requests wait on a subscription applied elsewhere, one task per follower
        #: reads the stored position for all of them (not one query per waiter).
        self._watcher: asyncio.Task[None] | None = None
        self._waiters = 0

    # -- what a kind of follower provides ------------------------------------------------------
    @abstractmethod
    async def load_position(self) -> int:
        """The stored position (preparing storage first if needed)."""

    @abstractmethod
    async def commit(self, events: Sequence[FeedEvent], start: int, new_position: int) -> None:
        """Apply ``events`` and move the position from ``start`` to ``new_position`` atomically;
        raise :class:`PositionMoved` when the stored position is no longer ``start``."""

    @abstractmethod
    async def skip(self, event: FeedEvent, start: int) -> None:
        """Move the position from ``start`` past ``event`` without applying it."""

    @abstractmethod
    async def reapply(self, event: FeedEvent) -> None:
        """Apply a dead-lettered ``event`` again (the position is already past it), exactly
        once whatever crash interrupts it."""

    async def rebuild(self) -> None:
        """Replay the read model beside the live one and swap it in (read models only)."""
        raise NotImplementedError

    # -- one active follower per subscription ---------------------------------------------------
    async def take_lock(self) -> None:
        """Wait on standby until this process holds the subscription (a standby takes over
        within a second or two of the active one's death)."""
        if self.locks is None:
            return
        while not await self.locks.acquire(self.name):
            self.status.state = "standby"
            await asyncio.sleep(1.0)

    def holds_lock(self) -> bool:
        return self.locks is None or self.locks.holds(self.name)

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self.run(), name=f"follower:{self.name}")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop following: at once while waiting for events; after the write under way
        (preparing the position, committing a page) otherwise.

        Cancelling a write halfway would leave its SQLite write lock to be found by the next
        writer only after the busy timeout; a write ends within ``grace`` seconds.
        """
        self._stopping = True
        task, self._task = self._task, None
        if task is not None:
            if not self._writing:
                task.cancel()
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=grace)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            except asyncio.CancelledError:
                if not task.cancelled():
                    raise
        if self.locks is not None:
            await self.locks.release(self.name)
        self.status.state = "stopped"

    async def run(self) -> None:
        """Follow the feed until cancelled, surviving upstream and storage outages."""
        while not self._stopping:
            try:
                await self.take_lock()  # on standby: not a write, stop() cancels it at once
                await self._write(self.prepare())
                # Active from here (not from the first page, which a long-poll may hold back
                # for its whole wait): a takeover shows in /readyz and the metrics at once.
                self.status.state = "running"
                while not self._stopping:
                    applied = await self.step(wait=self.wait)
                    self.backoff.reset()
                    # A source that cannot long-poll (wait=0) is polled, not spun on.
                    await asyncio.sleep(0 if applied or self.wait > 0 else self.poll_interval)
            except asyncio.CancelledError:
                raise
            except UpstreamUnavailable as error:
                self._record_error("disconnected", error, quiet=self.status.pages == 0)
            except Exception as error:
                if is_transient(error):
                    self._record_error("retrying", error)
                else:
                    log.error("follower %s failed: %s", self.name, safe_traceback(error))
                    self._record_error("failing", error)
            await asyncio.sleep(self.backoff.next_delay())

    def _record_error(self, state: str, error: BaseException, *, quiet: bool = False) -> None:
        self.status.state = state
        self.status.last_error = safe_error_text(error)
        # Before the first page an unreachable upstream is usually still starting up.
        log.log(
            logging.INFO if quiet else logging.WARNING,
            "follower %s %s: %s",
            self.name,
            state,
            self.status.last_error,
        )

    async def prepare(self) -> None:
        position = await self.load_position()
        self.status.dead_letters = await count_dead_letters(self.db, self.name)
        await self._advanced(position, progress=position != self.status.position)

    # -- one page -------------------------------------------------------------------------------
    async def step(self, wait: float = 0.0, until: int | None = None) -> int:
        """Read one page (long-polling up to ``wait``) and apply it; return events applied.

        With ``until``, the page stops at that position (a replay to a chosen point).
        """
        limit = self.page_size
        if until is not None:
            limit = max(min(limit, until - self.status.position), 1)
        page = await self.source.read(self.status.position, limit, wait)
        if until is not None and page.next_after > until:
            page = replace(page, events=[e for e in page.events if e.id <= until], next_after=until)
        self.status.head = max(page.head, self.status.head)
        start = self.status.position
        fresh = [e for e in page.events if e.id > start]
        new_position = max(page.next_after, start)
        self.status.state = "running"
        if new_position == start:
            return 0
        with self.tracing.applying(self.span_verb, self.name, fresh):
            if any(e.type == UNDECODABLE for e in fresh):  # set aside, the rest applied
                await self._write(self._one_by_one(fresh, start, new_position))
                await self._advanced(new_position)
                return len(fresh)
            return await self._write(self._commit_page(fresh, start, new_position))

    async def _write(self, work: Awaitable[T]) -> T:
        """Run ``work`` (it writes to storage) so that ``stop`` lets it finish."""
        self._writing = True
        try:
            return await work
        finally:
            self._writing = False

    async def _commit_page(self, fresh: list[FeedEvent], start: int, new_position: int) -> int:
        try:
            await self.commit(fresh, start, new_position)
        except PositionMoved:
            await self.prepare()
            return 0
        except Exception as error:
            if await self._lost_race(start):
                return 0
            if not fresh or is_transient(error):
                raise  # the run loop retries the page, with backoff, for as long as it fails
            log.warning(
                "follower %s: page after %s failed (%s); one by one",
                self.name,
                start,
                safe_error_text(error),
            )
            await self._one_by_one(fresh, start, new_position)
        await self._advanced(new_position)
        self.status.pages += 1
        return len(fresh)

    async def _lost_race(self, start: int) -> bool:
        """After a failed commit: did another follower of this subscription move on first?"""
        try:
            stored = await self.load_position()
        except Exception:  # the storage is failing too: not a lost race
            return False
        if stored == start:
            return False
        log.info("follower %s: position moved from %s to %s elsewhere", self.name, start, stored)
        await self._advanced(stored)
        return True

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _advanced(self, position: int, *, progress: bool = True) -> None:
        """Take ``position`` as applied (here or by another process) and wake the waiters."""
        self.status.position = position
        if progress:
            self.status.last_progress_at = datetime.now(UTC)
            self.status.last_error = None
        async with self._progress:
            self._progress.notify_all()

    async def _one_by_one(self, events: Sequence[FeedEvent], start: int, new_position: int) -> None:
        position = start
        for event in events:
            await self._apply_with_retries(event, position)
            position = event.id
            await self._advanced(position)
        if new_position > position:
            await self.commit([], position, new_position)

    async def _apply_with_retries(self, event: FeedEvent, position: int) -> None:
        if event.type == UNDECODABLE:
            error = ValueError(f"event {event.id} cannot be decoded: {event.payload.get('error')}")
            await self._dead_letter(event, position, error)
            return
        delay = self.backoff.first
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self.commit([event], position, event.id)
                return
            except PositionMoved:
                raise
            except Exception as error:
                if is_transient(error):
                    raise  # never dead-lettered: the run loop retries from this event
                log.warning(
                    "follower %s: event %s attempt %s/%s failed: %s",
                    self.name,
                    event.id,
                    attempt,
                    self.max_attempts,
                    safe_error_text(error),
                )
                if attempt == self.max_attempts:
                    await self._dead_letter(event, position, error)
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff.cap)

    async def _dead_letter(self, event: FeedEvent, position: int, error: Exception) -> None:
        await record_dead_letter(self.db, self.name, event, error, self.max_attempts)
        await self.skip(event, position)
        self.status.dead_letters += 1
        log.error(
            "follower %s: event %s dead-lettered: %s", self.name, event.id, safe_error_text(error)
        )
