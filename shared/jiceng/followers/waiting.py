"""Waiting for a follower: until the log up to a position is applied, here or by another
process of the same subscription (read-your-writes), or until it has caught up."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from jiceng.followers.locks import LockSession
from jiceng.followers.sources import FeedSource
from jiceng.followers.status import FollowerStatus


class Waiting:
    """What a :class:`~jiceng.followers.follower.Follower` offers those who wait on it."""

    name: str
    source: FeedSource
    status: FollowerStatus
    locks: LockSession | None
    poll_interval: float
    _progress: asyncio.Condition
    _watcher: asyncio.Task[None] | None
    _waiters: int

    @property
    def running(self) -> bool:
        raise NotImplementedError

    async def load_position(self) -> int:
        raise NotImplementedError

    async def prepare(self) -> None:
        raise NotImplementedError

    async def step(self, wait: float = 0.0, until: int | None = None) -> int:
        raise NotImplementedError

    async def _advanced(self, position: int, *, progress: bool = True) -> None:
        raise NotImplementedError

    async def peek_position(self) -> int:
        """The stored position, read without preparing anything (another process may be the
        one applying this subscription)."""
        return await self.load_position()

    @property
    def active(self) -> bool:
        """Whether this process applies the subscription now (not stopped, not on standby)."""
        return self.running and self.status.state not in ("starting", "standby", "stopped")

    async def wait_for(self, position: int, timeout: float) -> bool:
        """Wait until the log up to ``position`` is applied, here or by another process: on
        this follower's progress while it is active, else on the stored position."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._waiters += 1
        try:
            while self.status.position < position:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                if not self.active and (self._watcher is None or self._watcher.done()):
                    self._watcher = asyncio.create_task(self._watch_stored())
                with contextlib.suppress(TimeoutError):
                    async with self._progress:
                        await asyncio.wait_for(
                            self._progress.wait_for(lambda: self.status.position >= position),
                            min(remaining, 0.5),
                        )
            return True
        finally:
            self._waiters -= 1

    async def _watch_stored(self) -> None:
        """Follow the stored position while requests wait and another process applies."""
        while self._waiters > 0 and not self.active:
            try:
                stored = await self.peek_position()
            except Exception:  # storage failing: the waiters time out and say so
                stored = 0
            if stored > self.status.position:
                await self._advanced(stored, progress=False)
            await asyncio.sleep(self.poll_interval / 25)

    async def catch_up(
        self,
        timeout: float = 60.0,
        on_page: Callable[[int, int], None] | None = None,
        until: int | None = None,
    ) -> None:
        """Apply pages until the upstream head seen at the first read is reached.

        A follower already running in the background, in this process or another one holding
        the subscription, is waited for, not competed with.
        """
        elsewhere = self.locks is not None and not await self.locks.acquire(self.name)
        if self.running or elsewhere:
            page = await self.source.read(self.status.position, 1, 0)
            if not await self.wait_for(page.head, timeout):
                msg = f"follower {self.name} did not reach {page.head} in {timeout}s"
                raise TimeoutError(msg)
            return
        await self.prepare()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await self.step(until=until)
        target = self.status.head if until is None else min(until, self.status.head)
        while self.status.position < target:
            if on_page is not None:
                on_page(self.status.position, target)
            if loop.time() > deadline:
                msg = f"follower {self.name} did not catch up to {target} in {timeout}s"
                raise TimeoutError(msg)
            await self.step(until=until)
        if on_page is not None:
            on_page(self.status.position, target)
