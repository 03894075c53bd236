"""Faults that pass are retried as long as they last; poison is set aside, then retried.

The errors are the ones the drivers raise (asyncpg's, psycopg's, SQLite's), built as they
would arrive, not the classifier's own categories.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace

import asyncpg
import psycopg
import pytest
import sqlalchemy.exc as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import UNDECODABLE, FeedEvent, read_page
from jiceng.eventlog.storage import Storage
from jiceng.followers.faults import is_transient
from jiceng.followers.retrying import retry_dead_letters
from jiceng.readmodel.database import ReadModelDatabase
from support import Api, FoldProjection
from test_consumer_rules import ScriptedSource, consumer


def _wrapped(orig: BaseException) -> sa.DBAPIError:
    return sa.DBAPIError.instance("INSERT", {}, orig, Exception)


def _with_sqlstate(cls: type[Exception], state: str) -> Exception:
    error = cls("injected")
    error.sqlstate = state  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (_wrapped(_with_sqlstate(asyncpg.exceptions.LockNotAvailableError, "55P03")), True),
        (_wrapped(_with_sqlstate(asyncpg.exceptions.SerializationError, "40001")), True),
        (_wrapped(_with_sqlstate(asyncpg.exceptions.AdminShutdownError, "57P01")), True),
        (_wrapped(_with_sqlstate(asyncpg.exceptions.TooManyConnectionsError, "53300")), True),
        (_wrapped(ConnectionRefusedError(111, "Connect call failed")), True),
        (_wrapped(sqlite3.OperationalError("database is locked")), True),
        (psycopg.OperationalError("server closed the connection unexpectedly"), True),
        (TimeoutError(), True),
        (_wrapped(_with_sqlstate(asyncpg.exceptions.UniqueViolationError, "23505")), False),
        (_wrapped(_with_sqlstate(asyncpg.exceptions.DataError, "22001")), False),
        (_wrapped(sqlite3.OperationalError("no such column: x")), False),
        (KeyError("branch_id"), False),
        (ValueError("refusing event 9"), False),
    ],
    ids=repr,
)
def test_transient_or_deterministic(error: BaseException, transient: bool) -> None:
    assert is_transient(error) is transient


class FlakyProjection(FoldProjection):
    """Fails every write with a lock timeout for its first ``faults`` calls."""

    def __init__(self, faults: int) -> None:
        super().__init__()
        self.faults = faults

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        if self.faults > 0:
            self.faults -= 1
            raise _wrapped(_with_sqlstate(asyncpg.exceptions.LockNotAvailableError, "55P03"))
        await super().handle(conn, event)


@pytest.fixture
async def db() -> AsyncIterator[ReadModelDatabase]:
    database = ReadModelDatabase(Storage.memory("t"))
    await database.create_all()
    yield database
    await database.dispose()


async def test_a_fault_outlasting_every_attempt_dead_letters_nothing(
    db: ReadModelDatabase,
) -> None:
    projection = FlakyProjection(faults=40)  # far more than max_attempts
    runner = consumer(ScriptedSource(20), projection, db)
    runner.start()
    assert await runner.wait_for(20, timeout=10)
    await runner.stop()
    assert await projection.applied_ids(db) == list(range(1, 21))
    assert runner.status.dead_letters == 0


class Undecodable(ScriptedSource):
    def __init__(self, count: int, bad: int) -> None:
        super().__init__(count)
        good = self.log[bad - 1]
        self.log[bad - 1] = replace(good, type=UNDECODABLE, payload={"error": "InvalidTag: "})
        self.repaired = good

    def repair(self) -> None:
        self.log[self.repaired.id - 1] = self.repaired


async def test_an_undecodable_event_is_set_aside_and_applied_once_repaired(
    db: ReadModelDatabase,
) -> None:
    projection = FoldProjection()
    source = Undecodable(12, bad=5)
    runner = consumer(source, projection, db)
    await runner.catch_up()
    assert await projection.applied_ids(db) == [n for n in range(1, 13) if n != 5]
    assert runner.status.dead_letters == 1
    still = await retry_dead_letters({runner.name: runner}, db)
    assert [(r.event_id, r.applied) for r in still] == [(5, False)]
    source.repair()
    done = await retry_dead_letters({runner.name: runner}, db)
    assert [(r.event_id, r.applied) for r in done] == [(5, True)]
    assert sorted(await projection.applied_ids(db)) == list(range(1, 13))
    assert await retry_dead_letters({runner.name: runner}, db) == []  # nothing left, nothing twice


async def test_the_feed_reports_a_row_it_cannot_decode(org_api: Api) -> None:
    from support import bulk_establish

    log = org_api.runtime.log
    bulk_establish(log, 3)  # type: ignore[arg-type]
    recorder = log.recorder
    second = recorder._stored_events[1]  # type: ignore[attr-defined]
    recorder._stored_events[1] = type(second)(  # type: ignore[attr-defined]
        originator_id=second.originator_id,
        originator_version=second.originator_version,
        topic=second.topic,
        state=b"\x00not json",
    )
    page = read_page(log, after=0, limit=10)
    assert [e.type for e in page.events] == [
        "Organisation.Established",
        UNDECODABLE,
        "Organisation.Established",
    ]
    assert page.events[1].id == 2 and "Error" in page.events[1].payload["error"]
