"""Storage out of reach: which errors say so, the 503 they answer, and /readyz's bound."""

from __future__ import annotations

import asyncio
import errno
import sqlite3
import threading
import time
from typing import Any

import asyncpg
import eventsourcing.persistence as es
import psycopg
import pytest
import sqlalchemy.exc as sa
from psycopg_pool import PoolTimeout

from jiceng.api.idempotency import IdempotencyStore
from jiceng.api.probes import SingleFlight
from jiceng.outage import storage_unavailable
from support import Api

ORGS = "/org-registry/v1/organisations"


def wrapped(outer: type[Exception], inner: BaseException) -> Exception:
    """``outer`` raised from ``inner``, as eventsourcing wraps psycopg's errors."""
    try:
        raise outer(str(inner)) from inner
    except outer as error:
        return error


def sqlalchemy_wrapped(inner: Exception) -> sa.DBAPIError:
    return sa.OperationalError("SELECT 1", {}, inner)


@pytest.mark.parametrize(
    "error",
    [
        wrapped(es.OperationalError, psycopg.OperationalError("connection refused")),
        wrapped(es.OperationalError, PoolTimeout("couldn't get a connection after 5.00 sec")),
        wrapped(es.InterfaceError, psycopg.InterfaceError("the connection is closed")),
        wrapped(es.DatabaseError, psycopg.errors.AdminShutdown()),
        wrapped(es.OperationalError, sqlite3.OperationalError("database is locked")),
        sqlalchemy_wrapped(sqlite3.OperationalError("unable to open database file")),
        sa.TimeoutError("QueuePool limit of size 2 overflow 2 reached"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"),
        es.ConnectionUnavailableError("timed out"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_of_unreachable_storage(error: Exception) -> None:
    assert storage_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        wrapped(es.IntegrityError, psycopg.errors.UniqueViolation()),
        wrapped(es.ProgrammingError, psycopg.errors.UndefinedTable()),
        sqlalchemy_wrapped(sqlite3.OperationalError("no such table: org_nodes")),
        wrapped(es.OperationalError, sqlite3.OperationalError("no such column: x")),
        sa.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")),
        FileNotFoundError(errno.ENOENT, "no such file"),
        TimeoutError("a wait of ours"),
        ValueError("a bug"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_that_are_no_outage(error: Exception) -> None:
    assert not storage_unavailable(error)


def test_a_timeout_inside_a_driver_is_an_outage() -> None:
    # asyncpg's connect raises a bare TimeoutError when the server does not answer in time.
    namespace: dict[str, Any] = {"__name__": "asyncpg.connect_utils"}
    exec("def connect():\n    raise TimeoutError()", namespace)  # a frame "in asyncpg"
    with pytest.raises(TimeoutError) as raised:
        namespace["connect"]()
    assert storage_unavailable(raised.value)


async def test_a_storage_fault_in_a_middleware_is_a_503_too(
    org_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The idempotency store runs before the route, outside the app's exception handlers.
    async def unreachable(*_: Any) -> Any:
        raise ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed")

    monkeypatch.setattr(IdempotencyStore, "outcome", unreachable)
    response = await org_api.client.post(
        ORGS,
        json={"name": "党委", "org_type": "committee", "domain": "university"},
        headers=org_api.headers(**{"Idempotency-Key": "k-1", "Accept-Language": "en"}),
    )
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert body["code"] == "storage.unavailable"
    assert body["title"] == "Storage unavailable"
    assert body["detail"] == "The database cannot be reached at the moment; try again in 5 seconds"


async def test_a_bug_in_storage_code_stays_a_500(
    org_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: Any) -> Any:
        raise sa.OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))

    monkeypatch.setattr(IdempotencyStore, "outcome", broken)
    response = await org_api.client.post(
        ORGS,
        json={"name": "党委", "org_type": "committee", "domain": "university"},
        headers=org_api.headers(**{"Idempotency-Key": "k-2"}),
    )
    assert response.status_code == 500
    assert response.json()["code"] == "internal.error"


async def test_openapi_documents_retry_after_on_503(org_api: Api) -> None:
    spec = (await org_api.client.get("/org-registry/openapi.json")).json()
    unavailable = spec["paths"][ORGS]["post"]["responses"]["503"]
    assert "Retry-After" in unavailable["headers"]


async def test_single_flight_runs_one_check_for_concurrent_callers() -> None:
    calls = 0
    release = asyncio.Event()

    async def check() -> int:
        nonlocal calls
        calls += 1
        await release.wait()
        return calls

    flight = SingleFlight(check)
    waiting = [asyncio.ensure_future(flight.run(5)) for _ in range(5)]
    await asyncio.sleep(0.05)
    release.set()
    assert await asyncio.gather(*waiting) == [1] * 5
    assert calls == 1


async def test_single_flight_gives_up_waiting_but_lets_the_check_finish() -> None:
    release = asyncio.Event()

    async def check() -> str:
        await release.wait()
        return "done"

    flight = SingleFlight(check)
    with pytest.raises(TimeoutError):
        await flight.run(0.05)
    assert flight.running  # the next probe joins this run instead of starting another
    release.set()
    assert await flight.run(1) == "done"


async def test_readyz_answers_503_in_time_while_the_log_hangs_and_runs_one_thread(
    org_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = org_api.runtime
    for follower in runtime.followers.values():
        await follower.stop()  # they read the head too: only the probe's calls are counted
    unblock = threading.Event()
    calls: list[float] = []

    def hanging_head() -> int:
        calls.append(time.monotonic())
        unblock.wait(10)
        return 0

    monkeypatch.setattr(runtime.log, "head", hanging_head)
    try:
        started = time.monotonic()
        answers = await asyncio.gather(*(org_api.client.get("/readyz") for _ in range(8)))
        assert time.monotonic() - started < 3
        assert {a.status_code for a in answers} == {503}
        assert answers[0].headers["retry-after"] == "5"
        assert answers[0].json()["checks"]["read_models"] == "ok"
        # Repeated while the first still hangs: still 503 in time, still one thread.
        again = await org_api.client.get("/readyz")
        assert again.status_code == 503
        assert len(calls) == 1
    finally:
        unblock.set()
    for _ in range(50):
        if (await org_api.client.get("/readyz")).status_code == 200:
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail("readyz did not recover")
