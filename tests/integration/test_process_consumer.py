"""A follower that reacts with new events: each upstream event's consequence recorded once.

The upstream position is eventsourcing's tracking record, saved with the new events.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import anyio
import pytest

from jiceng.eventlog import Storage
from jiceng.eventlog.records import FeedEvent, read_page
from jiceng.followers import LocalFeedSource, ReactionFollower
from jiceng.followers.dead_letters import record_dead_letter
from jiceng.followers.locks import LockSession
from jiceng.followers.retrying import retry_dead_letters
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings
from org_registry.bootstrap import build_runtime
from support import Changes, Tally, TallyLog, bulk_establish, tally_policy
from test_consumer_exactly_once import Duplicating

UPSTREAM_EVENTS = 90


class Killed(BaseException):
    """The process dies: not an error the follower may handle."""


@pytest.fixture
async def upstream(storage_settings: Settings) -> AsyncIterator[ServiceRuntime]:
    runtime = build_runtime(storage_settings)
    await runtime.start(run_consumers=False)
    await anyio.to_thread.run_sync(bulk_establish, runtime.log, UPSTREAM_EVENTS)
    yield runtime
    await runtime.stop()


@pytest.fixture
async def downstream(
    storage_settings: Settings,
) -> AsyncIterator[tuple[TallyLog, ReadModelDatabase]]:
    storage = Storage.for_service(storage_settings, "tally")
    log = TallyLog(storage)
    db = ReadModelDatabase(storage)
    await db.create_all()
    yield log, db
    await db.dispose()
    log.close()


def follower(
    upstream: ServiceRuntime, log: TallyLog, db: ReadModelDatabase, policy=tally_policy, source=None
) -> ReactionFollower:  # type: ignore[no-untyped-def]
    source = source or LocalFeedSource(upstream.log, upstream.signal, "org-registry")
    return ReactionFollower(
        "org-registry:tally",
        source,
        log,
        policy,
        db,
        service="tally",
        page_size=40,
        wait=0,
        locks=LockSession(log.storage),  # each follower as its own process would
    )


def counted(log: TallyLog) -> list[int]:
    seen: list[int] = []
    for event in read_page(log, after=0, limit=10_000).events:
        if event.type == "Tally.Counted":
            seen.append(event.payload["upstream_event"])
    return sorted(seen)


async def test_each_upstream_event_counted_once_despite_duplicates(
    upstream: ServiceRuntime, downstream: tuple[TallyLog, ReadModelDatabase]
) -> None:
    log, db = downstream
    source = Duplicating(LocalFeedSource(upstream.log, upstream.signal, "org-registry"))
    consumer = follower(upstream, log, db, source=source)
    await consumer.catch_up()
    await consumer.stop()
    assert counted(log) == list(range(1, UPSTREAM_EVENTS + 1))
    assert log.tracked_position("org-registry") == UPSTREAM_EVENTS


async def test_killed_mid_page_then_restarted(
    upstream: ServiceRuntime, downstream: tuple[TallyLog, ReadModelDatabase]
) -> None:
    log, db = downstream

    def dies_at_55(event: FeedEvent, changes: Changes) -> None:
        tally_policy(event, changes)
        if event.id == 55:  # inside the second page (41..80)
            raise Killed

    dying = follower(upstream, log, db, policy=dies_at_55)
    with pytest.raises(Killed):
        await dying.catch_up()
    await dying.stop()
    assert counted(log) == list(range(1, 41))  # the second page left nothing behind

    restarted = follower(upstream, log, db)
    await restarted.catch_up()
    assert counted(log) == list(range(1, UPSTREAM_EVENTS + 1))
    # The new events say what caused them.
    events = read_page(log, after=0, limit=10_000).events
    counted_55 = next(e for e in events if e.payload.get("upstream_event") == 55)
    assert counted_55.causation_id == "org-registry:55"
    assert counted_55.actor == "service:tally"
    await restarted.stop()


async def test_an_event_that_keeps_failing_is_set_aside(
    upstream: ServiceRuntime, downstream: tuple[TallyLog, ReadModelDatabase]
) -> None:
    log, db = downstream

    def refuses_7(event: FeedEvent, changes: Changes) -> None:
        if event.id == 7:
            raise ValueError("cannot count 7")
        tally_policy(event, changes)

    consumer = follower(upstream, log, db, policy=refuses_7)
    consumer.max_attempts = 2
    consumer.backoff.first = 0.01
    await consumer.catch_up()
    await consumer.stop()
    assert counted(log) == [n for n in range(1, UPSTREAM_EVENTS + 1) if n != 7]
    assert consumer.status.dead_letters == 1


async def test_a_second_follower_waits_on_standby(
    upstream: ServiceRuntime, downstream: tuple[TallyLog, ReadModelDatabase]
) -> None:
    log, db = downstream
    first = follower(upstream, log, db)
    await first.prepare()
    second = follower(upstream, log, db)
    waiting = asyncio.create_task(second.prepare())
    await asyncio.sleep(0.3)
    assert second.status.state == "standby"
    await first.catch_up()
    await first.stop()  # releases the lock
    await asyncio.wait_for(waiting, 10)
    await second.catch_up()
    await second.stop()
    assert counted(log) == list(range(1, UPSTREAM_EVENTS + 1))
    tallies = {e.stream_id for e in read_page(log, after=0, limit=10_000).events}
    assert len(tallies) == UPSTREAM_EVENTS  # one Tally per upstream organisation
    assert all(
        isinstance(log.repository.get(Tally.create_id(s)), Tally)
        for s in [e.stream_id for e in read_page(upstream.log, after=0, limit=5).events]
    )


async def test_a_dead_lettered_reaction_is_retried_once_after_the_fix(
    upstream: ServiceRuntime, downstream: tuple[TallyLog, ReadModelDatabase]
) -> None:
    log, db = downstream
    broken = {7}

    def policy(event: FeedEvent, changes: Changes) -> None:
        if event.id in broken:
            raise ValueError("a bug in the reaction")
        tally_policy(event, changes)

    consumer = follower(upstream, log, db, policy=policy)
    consumer.backoff.first = 0.01
    await consumer.catch_up()
    await consumer.stop()
    assert 7 not in counted(log)
    assert consumer.status.dead_letters == 1
    broken.clear()  # the fix is deployed
    retried = await retry_dead_letters({consumer.name: consumer}, db)
    assert [(r.event_id, r.applied) for r in retried] == [(7, True)]
    assert counted(log) == list(range(1, UPSTREAM_EVENTS + 1))
    # A retry that crashed after its save, before forgetting the dead letter, is run again:
    # its claim is recorded with the events, so nothing is counted twice.
    [seventh] = read_page(upstream.log, after=6, limit=1).events
    await record_dead_letter(db, consumer.name, seventh, ValueError("again"), 3)
    again = await retry_dead_letters({consumer.name: consumer}, db)
    assert [(r.event_id, r.applied) for r in again] == [(7, True)]
    assert counted(log) == list(range(1, UPSTREAM_EVENTS + 1))
