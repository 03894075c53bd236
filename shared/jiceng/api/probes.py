"""The storage checks of ``/readyz``: each bounded in time, each running once at a time.

A probe must say "unavailable" within ``JICENG_READINESS_TIMEOUT_SECONDS`` however storage
fails, so that an orchestrator takes the pod out of rotation instead of killing it. The
event store's head is therefore not read through eventsourcing's pool (whose retries wait out
the pool timeout ten times over) but on a connection of its own, opened with a connect
timeout and a statement timeout and closed after one query; on PostgreSQL that is an
asyncio connection, so a check given up on is cancelled, not left blocked in a thread. The
read models are pinged through their async engine, also cancellable.

Each check runs at most once at a time: a probe arriving while the previous check is still
running waits for that one rather than starting another, so probes repeated during an outage
never pile up connections, or threads (SQLite's head is read in a worker thread).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import anyio
import psycopg

from jiceng.runtime import ServiceRuntime

T = TypeVar("T")


class SingleFlight(Generic[T]):
    """Runs ``check`` for whoever asks, but never two runs at once."""

    def __init__(self, check: Callable[[], Awaitable[T]]) -> None:
        self._check = check
        self._running: asyncio.Task[T] | None = None

    @property
    def running(self) -> bool:
        return self._running is not None and not self._running.done()

    async def run(self, timeout: float) -> T:
        """The result of the current run (started now if none is going); ``TimeoutError``
        after ``timeout`` seconds, leaving the run to finish for the next caller."""
        task = self._running
        if task is None or task.done():
            task = self._running = asyncio.ensure_future(self._check())
            task.add_done_callback(_retrieve)
        return await asyncio.wait_for(asyncio.shield(task), timeout)


def _retrieve(task: asyncio.Task[Any]) -> None:
    # A run nobody waited for to the end must not log "exception was never retrieved".
    if not task.cancelled():
        task.exception()


class Readiness:
    """The storage checks of one service's ``/readyz``."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime
        self.timeout = runtime.storage.limits.probe_timeout
        self._head = SingleFlight(self._read_head)
        self._ping = SingleFlight(self._ping_read_models)

    async def head(self) -> int:
        """The event log's newest id; ``TimeoutError`` or a storage error if unreachable."""
        return await self._head.run(self.timeout)

    async def ping(self) -> None:
        """Whether the read-model database answers (same errors as :meth:`head`)."""
        await self._ping.run(self.timeout)

    async def _ping_read_models(self) -> None:
        await asyncio.wait_for(self.runtime.db.ping(), self.timeout)

    async def _read_head(self) -> int:
        statement = getattr(self.runtime.log.recorder, "max_notification_id_statement", None)
        if self.runtime.storage.kind != "postgres" or statement is None:
            # SQLite or memory: a local read, in a worker thread that cannot be cancelled;
            # the single flight keeps it to one thread however many probes come meanwhile.
            return await anyio.to_thread.run_sync(self.runtime.log.head)
        return await asyncio.wait_for(self._postgres_head(statement), self.timeout)

    async def _postgres_head(self, statement: Any) -> int:
        storage = self.runtime.storage
        assert storage.postgres_url is not None
        milliseconds = max(1, int(self.timeout * 1000))
        conn = await psycopg.AsyncConnection.connect(
            storage.postgres_url,
            autocommit=True,
            options=f"-c statement_timeout={milliseconds}",
            **storage.libpq_parameters(),
        )
        try:
            cursor = await conn.execute(statement)
            row = await cursor.fetchone()
        finally:
            with contextlib.suppress(Exception):
                await conn.close()
        value = row[0] if row else None
        return int(value or 0)
