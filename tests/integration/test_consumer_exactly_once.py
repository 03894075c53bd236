"""Consumers on real storage: duplicates, a kill mid-page and a restart change nothing.

The read model must always equal a fold of the log: every event applied exactly once.
"""

from __future__ import annotations

import asyncio

import anyio
import pytest

from jiceng.eventlog.records import FeedPage
from jiceng.followers import LocalFeedSource, ProjectionFollower
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings
from org_registry.bootstrap import build_runtime
from support import FoldProjection, bulk_establish


@pytest.fixture
async def runtime(storage_settings: Settings) -> ServiceRuntime:
    runtime = build_runtime(storage_settings)
    await runtime.start(run_consumers=False)
    await anyio.to_thread.run_sync(bulk_establish, runtime.log, 120)
    yield runtime  # type: ignore[misc]
    await runtime.stop()


class Duplicating(LocalFeedSource):
    """Delivers every page twice, as a retried or replayed HTTP response would."""

    def __init__(self, inner: LocalFeedSource) -> None:
        super().__init__(inner.app, inner.signal, inner.upstream)
        self._pending: FeedPage | None = None

    async def read(self, after: int, limit: int, wait: float) -> FeedPage:
        if self._pending is not None:
            page, self._pending = self._pending, None
            return page
        page = await super().read(after, limit, wait)
        self._pending = page
        return page


class StallingProjection(FoldProjection):
    """Stops inside a page, after some events were applied, until the task is killed."""

    def __init__(self, stall_at: int) -> None:
        super().__init__()
        self.stall_at = stall_at
        self.stalled = asyncio.Event()

    async def handle(self, conn, event) -> None:  # type: ignore[no-untyped-def]
        await super().handle(conn, event)
        if event.id == self.stall_at:
            self.stalled.set()
            await asyncio.Event().wait()  # never returns: the consumer is killed here


def local_consumer(
    runtime: ServiceRuntime, projection: FoldProjection, source=None
) -> ProjectionFollower:  # type: ignore[no-untyped-def]
    source = source or LocalFeedSource(runtime.log, runtime.signal, "org-registry")
    return ProjectionFollower(
        "org-registry:fold", source, projection, runtime.db, page_size=50, wait=0
    )


async def fold_equals_log(projection: FoldProjection, db: ReadModelDatabase, head: int) -> None:
    assert await projection.applied_ids(db) == list(range(1, head + 1))


async def test_every_page_delivered_twice(runtime: ServiceRuntime) -> None:
    projection = FoldProjection()
    await runtime.db.create_all()
    source = Duplicating(LocalFeedSource(runtime.log, runtime.signal, "org-registry"))
    await local_consumer(runtime, projection, source).catch_up()
    await fold_equals_log(projection, runtime.db, 120)


async def test_killed_mid_page_then_restarted(runtime: ServiceRuntime) -> None:
    stalling = StallingProjection(stall_at=75)  # inside the second page (51..100)
    consumer = local_consumer(runtime, stalling)
    consumer.start()
    await asyncio.wait_for(stalling.stalled.wait(), 30)
    # The kill: no grace for the page under way (it would never end), so its transaction
    # never commits.
    await consumer.stop(grace=0)

    # The first page committed, the second left no trace.
    assert await stalling.applied_ids(runtime.db) == list(range(1, 51))

    projection = FoldProjection()
    projection.metadata = stalling.metadata
    projection.table = stalling.table
    restarted = local_consumer(runtime, projection)
    await restarted.catch_up()
    await fold_equals_log(projection, runtime.db, 120)

    # More events arrive while it follows the log live.
    restarted.start()
    await anyio.to_thread.run_sync(bulk_establish, runtime.log, 30)
    assert await restarted.wait_for(150, timeout=30)
    await restarted.stop()
    await fold_equals_log(projection, runtime.db, 150)


async def test_two_consumers_racing_on_one_position(runtime: ServiceRuntime) -> None:
    projection = FoldProjection()
    first, second = local_consumer(runtime, projection), local_consumer(runtime, projection)
    await first.prepare()
    await second.prepare()
    await asyncio.gather(first.catch_up(), second.catch_up())
    await fold_equals_log(projection, runtime.db, 120)


async def test_the_orgtree_projection_equals_the_log(runtime: ServiceRuntime) -> None:
    orgtree = runtime.follower_for("org-registry", "orgtree")
    await orgtree.catch_up()
    assert await runtime.orgtree.count() == 120
    await orgtree.rebuild()
    await orgtree.catch_up()
    assert await runtime.orgtree.count() == 120
