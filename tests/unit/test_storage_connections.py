"""Pool sizes and timeouts from settings, TLS parameters to both drivers, bounded retries and
start-up back-off (no database: what would be opened, and how failures are retried)."""

from __future__ import annotations

import json
import logging
from typing import Any

import eventsourcing.persistence as es
import psycopg
import pytest
from eventsourcing.utils import Environment
from psycopg_pool import PoolTimeout
from sqlalchemy.engine import make_url

from jiceng.backoff import Backoff, retry_sync
from jiceng.eventlog import pgfactory
from jiceng.eventlog.storage import Storage
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.settings import Settings

TLS_URL = (
    "postgresql://app:secret@db.example:6432/jiceng"
    "?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/etc/c.pem&sslkey=/etc/k.pem"
)


def postgres(url: str = "postgresql://app@db.example/jiceng", **limits: Any) -> Storage:
    settings = Settings(database_url=url, **limits)
    return Storage.for_service(settings, "org-registry")


def test_pool_sizes_and_timeouts_come_from_settings() -> None:
    storage = postgres(
        event_pool_size=3,
        event_pool_overflow=1,
        read_pool_size=4,
        read_pool_overflow=0,
        pool_timeout_seconds=2.5,
        connect_timeout_seconds=4,
    )
    env = storage.eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "jiceng.eventlog.pgfactory:Factory"
    assert (env["POSTGRES_POOL_SIZE"], env["POSTGRES_MAX_OVERFLOW"]) == ("3", "1")
    assert env["POSTGRES_CONNECT_TIMEOUT"] == "3"  # the checkout wait, whole seconds
    assert json.loads(env["JICENG_LIBPQ_PARAMETERS"])["connect_timeout"] == 4
    engine = ReadModelDatabase(storage).engine
    pool: Any = engine.pool
    assert (pool.size(), pool._max_overflow, pool._timeout) == (4, 0, 2.5)


def test_small_defaults() -> None:
    settings = Settings()
    per_process = (
        settings.event_pool_size
        + settings.event_pool_overflow
        + settings.read_pool_size
        + settings.read_pool_overflow
    )
    assert per_process <= 8
    assert settings.readiness_timeout_seconds <= 2


def test_tls_parameters_reach_psycopg_in_the_event_stores_pool() -> None:
    storage = postgres(TLS_URL)
    factory = pgfactory.Factory(Environment("OrgRegistry", storage.eventsourcing_env()))
    try:
        kwargs = factory.datastore.pool.kwargs
        assert kwargs is not None
        assert kwargs["host"] == "db.example"
        assert kwargs["sslmode"] == "verify-full"
        assert kwargs["sslrootcert"] == "/etc/ca.pem"
        assert (kwargs["sslcert"], kwargs["sslkey"]) == ("/etc/c.pem", "/etc/k.pem")
        assert kwargs["connect_timeout"] >= 2
        assert factory.datastore.pool.reconnect_timeout == 10.0
    finally:
        factory.close()


def test_tls_parameters_reach_asyncpg_as_a_dsn_and_leave_the_url() -> None:
    storage = postgres(TLS_URL)
    url = make_url(storage.readmodel_url())
    assert url.drivername == "postgresql+asyncpg"
    assert not set(url.query) & {"sslmode", "sslrootcert", "sslcert", "sslkey"}
    dsn = make_url(storage.asyncpg_tls_dsn() or "")
    assert dict(dsn.query) == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/ca.pem",
        "sslcert": "/etc/c.pem",
        "sslkey": "/etc/k.pem",
    }
    assert dsn.host is None and dsn.password is None  # the rest comes from the URL
    assert postgres().asyncpg_tls_dsn() is None


def test_asyncpg_reads_the_tls_dsn_as_libpq_would() -> None:
    from asyncpg.connect_utils import _parse_connect_dsn_and_args

    storage = postgres("postgresql://app@db.example/jiceng?sslmode=require")
    _addresses, params = _parse_connect_dsn_and_args(
        dsn=storage.asyncpg_tls_dsn(),
        host="db.example",
        port=5432,
        user="app",
        password=None,
        passfile=None,
        database="jiceng",
        ssl=None,
        service=None,
        servicefile=None,
        direct_tls=None,
        server_settings=None,
        target_session_attrs=None,
        krbsrvname=None,
        gsslib=None,
    )
    assert params.sslmode.name == "require"
    assert params.ssl is not None


class Flaky:
    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def from_psycopg(error: Exception) -> es.OperationalError:
    try:
        raise es.OperationalError(str(error)) from error
    except es.OperationalError as wrapped:
        return wrapped


def test_a_broken_connection_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pgfactory, "_WAIT", 0.0)
    flaky = Flaky(from_psycopg(psycopg.OperationalError("terminating connection")))
    assert pgfactory.retried(flaky)() == "done"
    assert flaky.calls == 2


def test_no_connection_within_the_pool_timeout_is_not_waited_for_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pgfactory, "_WAIT", 0.0)
    flaky = Flaky(from_psycopg(PoolTimeout("couldn't get a connection after 5.00 sec")))
    with pytest.raises(es.OperationalError):
        pgfactory.retried(flaky)()
    assert flaky.calls == 1


def test_the_recorders_methods_are_rewrapped() -> None:
    from eventsourcing.postgres import PostgresApplicationRecorder

    ours = pgfactory.ProcessRecorder.insert_events
    theirs = PostgresApplicationRecorder.insert_events
    assert ours is not theirs
    assert getattr(ours, "__wrapped__", None) is getattr(theirs, "__wrapped__", None)


def test_start_up_retries_unreachable_storage_then_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refused = ConnectionRefusedError(111, "Connection refused")
    flaky = Flaky(refused, refused, refused)
    with caplog.at_level(logging.WARNING, "jiceng.backoff"):
        assert retry_sync(flaky, Backoff(budget=5, first=0.01), "test") == "done"
    assert flaky.calls == 4
    assert len(caplog.records) == 3
    assert "retrying in" in caplog.records[0].getMessage()


def test_start_up_gives_up_after_its_budget() -> None:
    flaky = Flaky(*[ConnectionRefusedError(111, "refused")] * 100)
    with pytest.raises(ConnectionRefusedError):
        retry_sync(flaky, Backoff(budget=0.2, first=0.05), "test")
    assert 2 <= flaky.calls < 100


def test_start_up_does_not_retry_what_is_no_outage() -> None:
    flaky = Flaky(ValueError("bad schema name"))
    with pytest.raises(ValueError, match="bad schema name"):
        retry_sync(flaky, Backoff(budget=5, first=0.01), "test")
    assert flaky.calls == 1


def test_back_off_doubles_up_to_its_cap() -> None:
    backoff = Backoff(budget=60, first=0.5, cap=4)
    delays = [backoff.delay(n) for n in range(1, 7)]
    assert 0.4 <= delays[0] <= 0.5
    assert all(d <= 4 for d in delays)
    assert delays[-1] >= 3.2
