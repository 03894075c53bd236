"""Wake long-polls and local consumers when a service's log grows.

In-process saves bump the signal directly (the only signal SQLite has); on PostgreSQL a
LISTEN connection bumps it for writes made by any process. Waiters compare generations
rather than heads, so a wake-up that arrives between their read and their wait is not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

log = logging.getLogger(__name__)


class LogSignal:
    def __init__(self) -> None:
        self._generation = 0
        self._changed = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def generation(self) -> int:
        return self._generation

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def bump(self) -> None:
        """Record a change (call on the event loop)."""
        self._generation += 1
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def bump_threadsafe(self, _head: int | None = None) -> None:
        """Record a change from any thread (the listener a service's :class:`EventLog` calls)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed between check and call
            loop.call_soon_threadsafe(self.bump)

    async def wait_changed(self, since: int, timeout: float) -> bool:
        """Wait until the generation passes ``since``; False when ``timeout`` ends first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._generation <= since:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return self._generation > since
        return True


class PostgresLogListener:
    """LISTEN on the channel eventsourcing NOTIFYs on every insert; reconnects forever."""

    def __init__(self, dsn: str, channel: str, signal: LogSignal, retry_seconds: float = 1.0):
        self.dsn = dsn
        self.channel = channel
        self.signal = signal
        self.retry_seconds = retry_seconds
        self.connected = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"listen:{self.channel}")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        import asyncpg

        def on_notify(*_: Any) -> None:
            self.signal.bump()

        while True:
            lost = asyncio.Event()
            try:
                conn = await asyncpg.connect(self.dsn, timeout=10)
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(self.channel, on_notify)
                self.connected = True
                # Anything written while we were not listening: make waiters re-read.
                self.signal.bump()
                try:
                    while not lost.is_set():
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(lost.wait(), 15)
                        if not lost.is_set():
                            await conn.execute("SELECT 1")  # notice a silently dead socket
                finally:
                    self.connected = False
                    with contextlib.suppress(Exception):
                        await conn.close(timeout=2)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("feed listener on %s lost: %s", self.channel, error)
            await asyncio.sleep(self.retry_seconds)
