"""One rebuild of a consumer's read model at a time, across processes.

Two processes starting with a new projection version, or an operator's rebuild while a
service starts, would otherwise fill the same shadow. PostgreSQL: a session advisory lock
keyed by schema and consumer. SQLite: ``flock`` on a file beside the shadow. Both are let go
by the operating system or the server if the process dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
from collections.abc import AsyncIterator

from sqlalchemy import text

from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.shadow import rebuild_directory, slug

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def rebuild_lock(
    live: ReadModelDatabase, consumer: str, poll: float = 0.5
) -> AsyncIterator[None]:
    """Hold the rebuild lock of ``consumer`` (waiting for another rebuild to end)."""
    if live.dialect == "postgresql":
        async with _advisory_lock(live, consumer, poll):
            yield
    else:
        async with _file_lock(live, consumer, poll):
            yield


def lock_key(schema: str, consumer: str) -> int:
    """A signed 64-bit advisory lock key, the same in every process."""
    digest = hashlib.sha256(f"jiceng-rebuild:{schema}:{consumer}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.asynccontextmanager
async def _advisory_lock(
    live: ReadModelDatabase, consumer: str, poll: float
) -> AsyncIterator[None]:
    key = lock_key(str(live.storage.schema), consumer)
    async with live.engine.connect() as raw:
        conn = await raw.execution_options(isolation_level="AUTOCOMMIT")
        waiting = False
        query = text("SELECT pg_try_advisory_lock(:key)")
        while not (await conn.execute(query, {"key": key})).scalar_one():
            if not waiting:
                log.info("rebuild of %s: waiting for another rebuild to end", consumer)
                waiting = True
            await asyncio.sleep(poll)
        try:
            yield
        finally:
            try:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            except BaseException:
                # A session still holding the lock must not go back to the pool.
                await raw.invalidate()
                raise


@contextlib.asynccontextmanager
async def _file_lock(live: ReadModelDatabase, consumer: str, poll: float) -> AsyncIterator[None]:
    directory = rebuild_directory(live)
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / f"{slug(consumer)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        waiting = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting:
                    log.info("rebuild of %s: waiting for another rebuild to end", consumer)
                    waiting = True
                await asyncio.sleep(poll)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
