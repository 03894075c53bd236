"""ProjectionFollower behaviour with fakes: duplicates, outages, dead letters, version changes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from jiceng.eventlog.records import FeedEvent, FeedPage
from jiceng.eventlog.storage import Storage
from jiceng.followers import ProjectionFollower, UpstreamUnavailable
from jiceng.followers.status import Backoff
from jiceng.readmodel.database import ReadModelDatabase
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


class ScriptedSource:
    """Serves a fixed log; can repeat pages and fail a number of reads first."""

    upstream = "upstream"

    def __init__(self, count: int, *, failures: int = 0, repeat_pages: bool = False) -> None:
        self.log = [event(n) for n in range(1, count + 1)]
        self.failures = failures
        self.repeat_pages = repeat_pages
        self.reads = 0
        self._last: FeedPage | None = None

    async def read(self, after: int, limit: int, wait: float) -> FeedPage:
        self.reads += 1
        if self.failures:
            self.failures -= 1
            raise UpstreamUnavailable("connection refused")
        if self.repeat_pages and self._last is not None and self.reads % 2 == 0:
            return self._last  # the same page again, as a retried HTTP response would be
        events = [e for e in self.log if e.id > after][:limit]
        head = self.log[-1].id if self.log else 0
        self._last = FeedPage(events, events[-1].id if events else after, head)
        return self._last


@pytest.fixture
async def db() -> AsyncIterator[ReadModelDatabase]:
    database = ReadModelDatabase(Storage.memory("t"))
    await database.create_all()
    yield database
    await database.dispose()


def consumer(
    source: ScriptedSource, projection: FoldProjection, db: ReadModelDatabase
) -> ProjectionFollower:
    return ProjectionFollower(
        "upstream:fold",
        source,
        projection,
        db,
        page_size=7,
        wait=0,
        max_attempts=3,
        backoff=Backoff(first=0.001, cap=0.01),
        poll_interval=0.01,
    )


async def test_pages_delivered_twice_apply_once(db: ReadModelDatabase) -> None:
    projection = FoldProjection()
    runner = consumer(ScriptedSource(30, repeat_pages=True), projection, db)
    await runner.catch_up()
    assert await projection.applied_ids(db) == list(range(1, 31))


async def test_survives_the_upstream_being_down(db: ReadModelDatabase) -> None:
    projection = FoldProjection()
    source = ScriptedSource(12, failures=4)
    runner = consumer(source, projection, db)
    runner.start()
    assert await runner.wait_for(12, timeout=5)
    await runner.stop()
    assert await projection.applied_ids(db) == list(range(1, 13))
    assert runner.status.last_error is None
    assert runner.status.lag == 0


async def test_an_event_that_keeps_failing_is_dead_lettered_and_the_stream_goes_on(
    db: ReadModelDatabase,
) -> None:
    projection = FoldProjection(fail_on={9})
    runner = consumer(ScriptedSource(20), projection, db)
    await runner.catch_up()
    assert await projection.applied_ids(db) == [n for n in range(1, 21) if n != 9]
    assert runner.status.dead_letters == 1
    assert runner.status.position == 20
    from sqlalchemy import select

    from jiceng.readmodel.tables import dead_letters

    async with db.engine.connect() as conn:
        [row] = (await conn.execute(select(dead_letters))).all()
    assert (row.event_id, row.attempts, row.consumer) == (9, 3, "upstream:fold")
    assert "refusing event 9" in row.error
    assert row.event["payload"] == {"n": 9}


async def test_a_new_projection_version_rebuilds_from_zero(db: ReadModelDatabase) -> None:
    old = FoldProjection(version=1)
    await consumer(ScriptedSource(10), old, db).catch_up()
    new = FoldProjection(version=2)
    runner = consumer(ScriptedSource(10), new, db)
    await runner.catch_up()
    assert await new.applied_ids(db) == list(range(1, 11))  # not 20: tables were dropped


async def test_a_second_consumer_racing_the_first_never_doubles(db: ReadModelDatabase) -> None:
    projection = FoldProjection()
    first = consumer(ScriptedSource(50), projection, db)
    second = consumer(ScriptedSource(50), projection, db)
    await first.prepare()
    await second.prepare()
    await asyncio.gather(first.catch_up(), second.catch_up())
    assert await projection.applied_ids(db) == list(range(1, 51))


async def test_wait_for_reports_a_timeout(db: ReadModelDatabase) -> None:
    runner = consumer(ScriptedSource(0), FoldProjection(), db)
    assert not await runner.wait_for(5, timeout=0.05)


async def test_dead_letters_are_visible_over_the_api(org_api) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from jiceng.auth.principal import Role
    from jiceng.readmodel.tables import dead_letters

    async with org_api.runtime.db.engine.begin() as conn:
        for n in (3, 4, 5):
            await conn.execute(
                dead_letters.insert().values(
                    consumer="org-registry:orgtree",
                    event_id=n,
                    event_type="X.Y",
                    stream_id="s",
                    error="boom",
                    attempts=5,
                    event=event(n).as_dict(),
                    recorded_at=datetime.now(UTC),
                )
            )
    url = "/org-registry/v1/consumers/dead-letters"
    headers = org_api.headers(Role.AUDITOR)
    first = (await org_api.client.get(url, params={"limit": 2}, headers=headers)).json()
    assert [d["event_id"] for d in first["items"]] == [3, 4]
    rest = (
        await org_api.client.get(url, params={"cursor": first["next_cursor"]}, headers=headers)
    ).json()
    assert ([d["event_id"] for d in rest["items"]], rest["next_cursor"]) == ([5], None)
    consumers = (await org_api.client.get("/org-registry/v1/consumers", headers=headers)).json()
    assert consumers[0]["name"] == "org-registry:orgtree"
    forbidden = await org_api.client.get(url, headers=org_api.headers(Role.MEMBER))
    assert forbidden.status_code == 403


class SlowProjection(FoldProjection):
    """Takes its time inside the page's transaction (the write lock held)."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()

    async def handle(self, conn, event):  # type: ignore[no-untyped-def]
        self.entered.set()
        await asyncio.sleep(0.2)
        await super().handle(conn, event)


async def test_stop_lets_the_page_being_committed_finish(db: ReadModelDatabase) -> None:
    projection = SlowProjection()
    follower = consumer(ScriptedSource(3), projection, db)
    follower.start()
    await projection.entered.wait()
    await follower.stop()  # mid-commit: the page completes instead of leaving its lock behind
    assert follower.status.position == 3
    assert await projection.count(db) == 3
    async with db.engine.begin() as conn:  # the write lock is free at once
        await conn.exec_driver_sql("SELECT 1")
    assert not follower.running


async def test_stop_while_waiting_for_events_is_immediate(db: ReadModelDatabase) -> None:
    follower = consumer(ScriptedSource(0), FoldProjection(), db)
    follower.start()
    await asyncio.sleep(0.05)
    started = asyncio.get_running_loop().time()
    await follower.stop()
    assert asyncio.get_running_loop().time() - started < 1


async def test_a_dead_letter_names_no_value_the_event_carried(db: ReadModelDatabase) -> None:
    from sqlalchemy import select

    from jiceng.readmodel.tables import dead_letters

    class Leaky(FoldProjection):
        async def handle(self, conn, event):  # type: ignore[no-untyped-def]
            if event.id == 2:
                msg = "value '张三' out of range for column: 110105199003070011"
                raise ValueError(msg)
            await super().handle(conn, event)

    runner = consumer(ScriptedSource(3), Leaky(), db)
    await runner.catch_up()
    async with db.engine.connect() as conn:
        [row] = (await conn.execute(select(dead_letters))).all()
    assert "张三" not in row.error and "110105" not in row.error
    assert row.error.startswith("ValueError")
