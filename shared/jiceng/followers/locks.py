"""One active follower per subscription, across every process of a service.

On PostgreSQL each subscription is a session advisory lock, and one process holds all of
its locks on ONE connection (a follower process does not open a connection per follower);
when that connection drops, the locks go with it and a standby takes over. On SQLite a lock
file per subscription (``flock``); in memory there is one process by construction.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
from pathlib import Path
from typing import IO, Any

from jiceng.eventlog.storage import Storage


class LockSession:
    """The subscription locks one process holds."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._connection: Any = None
        self._held: set[str] = set()
        self._files: dict[str, IO[bytes]] = {}
        self._guard = asyncio.Lock()

    def _key(self, name: str) -> int:
        scoped = f"{self.storage.schema}:{name}"
        return int.from_bytes(hashlib.sha256(scoped.encode()).digest()[:8], "big", signed=True)

    def _lock_file(self, name: str) -> Path | None:
        if self.storage.kind != "sqlite" or self.storage.directory is None:
            return None
        safe = hashlib.sha256(name.encode()).hexdigest()[:16]
        return self.storage.directory / f"follower-{safe}.lock"

    async def acquire(self, name: str) -> bool:
        """Take the subscription's lock if no other process holds it."""
        if self.storage.kind == "postgres":
            async with self._guard:
                if self._connection is None or self._connection.is_closed():
                    import asyncpg

                    self._held.clear()  # a new session holds nothing yet
                    assert self.storage.postgres_url is not None
                    self._connection = await asyncpg.connect(self.storage.postgres_url, timeout=5)
                if name in self._held:
                    return True
                got = await self._connection.fetchval(
                    "SELECT pg_try_advisory_lock($1)", self._key(name)
                )
                if got:
                    self._held.add(name)
                return bool(got)
        path = self._lock_file(name)
        if path is not None and name not in self._files:
            handle = path.open("ab")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return False
            self._files[name] = handle
        self._held.add(name)
        return True

    def holds(self, name: str) -> bool:
        """Whether this process still holds the lock (its session is alive)."""
        if self.storage.kind == "postgres":
            return (
                name in self._held
                and self._connection is not None
                and not self._connection.is_closed()
            )
        return name in self._held

    async def release(self, name: str) -> None:
        self._held.discard(name)
        handle = self._files.pop(name, None)
        if handle is not None:
            handle.close()  # closing the file releases the flock
        if self.storage.kind == "postgres" and self._connection is not None:
            async with self._guard:
                if not self._connection.is_closed():
                    with contextlib.suppress(Exception):
                        await self._connection.execute(
                            "SELECT pg_advisory_unlock($1)", self._key(name)
                        )

    async def close(self) -> None:
        for name in list(self._files):
            await self.release(name)
        self._held.clear()
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close(timeout=2)
            self._connection = None
