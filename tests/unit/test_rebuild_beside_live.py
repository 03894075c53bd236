"""Rebuilding a projection beside its live tables (SQLite file read models, fake feeds).

The live tables answer throughout; the replayed tables, the position and the dead letters
take their place together; one rebuild per consumer runs at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import Column, Index, String, inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent, FeedPage
from jiceng.eventlog.storage import Storage
from jiceng.followers import ProjectionFollower
from jiceng.followers.status import Backoff
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.shadow import rebuild_directory
from jiceng.readmodel.tables import consumer_positions, dead_letters
from support import FoldProjection


def event(n: int) -> FeedEvent:
    return FeedEvent(
        id=n,
        stream_id=f"s{n % 3}",
        stream_version=n,
        type="Thing.Happened",
        occurred_at="2026-11-23T00:00:00+00:00",
        actor="jwt:a",
        correlation_id=None,
        causation_id=None,
        reason=None,
        policy_pack=None,
        payload={"n": n},
    )


class GrowingSource:
    """A log events can be appended to; reads after ``hold_after`` wait until released."""

    upstream = "upstream"

    def __init__(self, count: int) -> None:
        self.log = [event(n) for n in range(1, count + 1)]
        self.hold_after: int | None = None
        self.held = asyncio.Event()
        self.release = asyncio.Event()
        #: Called once a read has taken its page, before the page is handed back.
        self.after_read: Callable[[int], Awaitable[None]] | None = None

    def append(self, count: int) -> None:
        start = len(self.log) + 1
        self.log += [event(n) for n in range(start, start + count)]

    async def read(self, after: int, limit: int, wait: float) -> FeedPage:
        if self.hold_after is not None and after >= self.hold_after:
            self.held.set()
            await self.release.wait()
        events = [e for e in self.log if e.id > after][:limit]
        page = FeedPage(events, events[-1].id if events else after, len(self.log))
        if self.after_read is not None:
            await self.after_read(after)
        return page


@pytest.fixture
async def db() -> AsyncIterator[ReadModelDatabase]:
    database = ReadModelDatabase(Storage.memory("t"))
    await database.create_all()
    yield database
    await database.dispose()


def follower(
    source: GrowingSource, projection: FoldProjection, db: ReadModelDatabase
) -> ProjectionFollower:
    return ProjectionFollower(
        "upstream:fold",
        source,
        projection,
        db,
        page_size=7,
        wait=0,
        max_attempts=2,
        backoff=Backoff(first=0.001, cap=0.01),
        poll_interval=0.01,
    )


async def stored(db: ReadModelDatabase) -> tuple[int, int, list[int]]:
    """The consumer's position, projection version and dead-lettered event ids."""
    async with db.engine.connect() as conn:
        row = (await conn.execute(select(consumer_positions))).one()
        letters = await conn.execute(select(dead_letters.c.event_id).order_by("event_id"))
        return int(row.position), int(row.projection_version), [int(i) for i in letters.scalars()]


async def test_a_new_version_is_replayed_while_the_old_tables_answer(
    db: ReadModelDatabase,
) -> None:
    source = GrowingSource(30)
    old = FoldProjection(version=1, fail_on={9})
    await follower(source, old, db).catch_up()
    assert await stored(db) == (30, 1, [9])

    new = FoldProjection(version=2, fail_on={4})
    source.hold_after = 20  # the replay stops two thirds of the way
    starting = asyncio.create_task(follower(source, new, db).catch_up())
    await asyncio.wait_for(source.held.wait(), 5)
    # Mid-replay: the live table is the old one, whole; position and version unchanged.
    assert await old.applied_ids(db) == [n for n in range(1, 31) if n != 9]
    assert await stored(db) == (30, 1, [9])

    source.append(5)  # events keep coming while it replays
    source.release.set()
    await asyncio.wait_for(starting, 10)
    # The replay's table, dead letter and position, with what came meanwhile.
    assert await new.applied_ids(db) == [n for n in range(1, 36) if n != 4]
    assert await stored(db) == (35, 2, [4])
    assert not any(rebuild_directory(db).glob("*/*.sqlite"))


async def test_processes_starting_together_rebuild_once(db: ReadModelDatabase) -> None:
    source = GrowingSource(40)
    await follower(source, FoldProjection(version=1), db).catch_up()
    first, second = FoldProjection(version=2), FoldProjection(version=2)
    await asyncio.gather(
        follower(source, first, db).catch_up(), follower(source, second, db).catch_up()
    )
    assert await first.applied_ids(db) == list(range(1, 41))
    assert first.calls + second.calls == 40  # one replay; the other waited and found it done


async def test_a_rebuild_racing_the_live_follower_applies_each_event_once(
    db: ReadModelDatabase,
) -> None:
    source = GrowingSource(500)
    projection = FoldProjection()
    live = follower(source, projection, db)
    live.start()
    assert await live.wait_for(500, timeout=10)

    async def keep_writing() -> None:
        while not rebuilding.done():
            source.append(3)
            await asyncio.sleep(0.01)

    # Another process's rebuild of the same consumer: its own follower object.
    rebuilding = asyncio.create_task(follower(source, projection, db).rebuild())
    await asyncio.gather(rebuilding, keep_writing())
    assert len(source.log) > 500, "events came during the rebuild"
    assert await live.wait_for(len(source.log), timeout=10)
    await live.stop()
    assert await projection.applied_ids(db) == list(range(1, len(source.log) + 1))


async def test_what_the_live_follower_applied_before_the_swap_is_in_the_new_tables(
    db: ReadModelDatabase,
) -> None:
    source = GrowingSource(30)
    projection = FoldProjection()
    live = follower(source, projection, db)
    await live.catch_up()

    async def live_moves_on(after: int) -> None:
        # The replay has just found nothing after 30: right then, 5 events arrive and the
        # live follower applies them, before the swap takes its lock.
        if after == 30:
            source.after_read = None
            source.append(5)
            await live.catch_up()

    source.after_read = live_moves_on
    await follower(source, projection, db).rebuild()
    assert source.after_read is None, "the live follower moved on during the rebuild"
    # Caught up under the lock: nothing the live tables had is missing after the swap.
    assert (await stored(db))[0] == 35
    assert await projection.applied_ids(db) == list(range(1, 36))


class WiderFold(FoldProjection):
    """Version 2 of the fold: a new column and an index on it."""

    def __init__(self) -> None:
        super().__init__(version=2)
        self.table.append_column(Column("kind", String(40), nullable=False))
        Index("ix_applied_kind", self.table.c.kind, unique=False)

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        values = {"event_id": event.id, "stream_id": event.stream_id, "event_type": event.type}
        await conn.execute(self.table.insert().values(kind="thing", **values))


async def test_a_new_version_brings_its_columns_and_indexes(db: ReadModelDatabase) -> None:
    source = GrowingSource(12)
    await follower(source, FoldProjection(version=1), db).catch_up()
    wider = WiderFold()
    await follower(source, wider, db).catch_up()
    async with db.engine.connect() as conn:
        columns = await conn.run_sync(
            lambda c: [col["name"] for col in inspect(c).get_columns("applied")]
        )
        indexes = await conn.run_sync(
            lambda c: [i["name"] for i in inspect(c).get_indexes("applied")]
        )
        kinds = set((await conn.execute(select(wider.table.c.kind))).scalars())
    assert columns == ["seq", "event_id", "stream_id", "event_type", "kind"]
    assert indexes == ["ix_applied_kind"]
    assert kinds == {"thing"}
    assert await wider.applied_ids(db) == list(range(1, 13))
