"""Build an audit bundle from a running service's storage."""

from __future__ import annotations

from functools import partial
from typing import Any, Protocol

import anyio

from jiceng.audit.bundle import Bundle
from jiceng.eventlog.records import FeedEvent, read_page
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.settings import Settings

CHECKPOINT = "AuditCheckpoint.Signed"


class CatchingUp(Protocol):
    async def catch_up(self, timeout: float) -> Any: ...


class LiveService(Protocol):
    """What a bundle is taken from: a running service's log, read models and followers."""

    name: str
    settings: Settings
    log: Any
    db: ReadModelDatabase

    def follower_for(self, upstream: str, name: str) -> CatchingUp: ...


async def live_bundle(runtime: LiveService) -> Bundle:
    """Chain what is not chained yet, then take every event, digest and checkpoint."""
    await runtime.follower_for(runtime.name, "audit_index").catch_up(timeout=3600)
    await anyio.to_thread.run_sync(runtime.log.chain_catch_up)
    events: list[FeedEvent] = []
    after = 0
    while True:
        page = await anyio.to_thread.run_sync(
            partial(read_page, runtime.log, after=after, limit=1000)
        )
        events += page.events
        if page.next_after == after:
            break
        after = page.next_after
    rows = await anyio.to_thread.run_sync(runtime.log.chain)
    return Bundle(
        service=runtime.name,
        algorithm=runtime.settings.audit_algorithm,
        events=events,
        digests=dict(rows),
        checkpoints=[e.payload for e in events if e.type == CHECKPOINT],
    )
