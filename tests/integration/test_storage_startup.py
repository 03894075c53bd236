"""Start-up against PostgreSQL that is not there yet, and the URL's TLS parameters reaching
both drivers (the event store's psycopg and the read models' asyncpg)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from jiceng.cli.maintenance import migrate
from jiceng.eventlog.storage import Storage
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.settings import Settings
from outage_proxy import OutageProxy, outage_proxy
from support import drop_schemas


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[OutageProxy]:
    with outage_proxy(postgres_url) as running:
        yield running


@pytest.fixture
def small(settings: Settings, postgres_url: str) -> Iterator[Settings]:
    prefix = f"houtage{uuid.uuid4().hex[:8]}_"
    yield settings.model_copy(
        update={
            "database_url": postgres_url,
            "schema_prefix": prefix,
            "event_pool_size": 1,
            "event_pool_overflow": 1,
            "read_pool_size": 1,
            "read_pool_overflow": 1,
        }
    )
    drop_schemas(postgres_url, prefix)


def through(settings: Settings, proxy: OutageProxy, url: str) -> Settings:
    return settings.model_copy(update={"database_url": proxy.url_through(url)})


@pytest.mark.postgres
async def test_a_service_started_before_its_database_waits_for_it(
    small: Settings, proxy: OutageProxy, postgres_url: str
) -> None:
    from org_registry.bootstrap import create_app

    proxy.cut()
    threading.Timer(2.0, proxy.restore).start()
    started = time.monotonic()
    app = create_app(through(small, proxy, postgres_url))  # retries with back-off meanwhile
    async with app.router.lifespan_context(app):
        waited = time.monotonic() - started
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/readyz")).status_code == 200
    assert 1.5 < waited < 60


@pytest.mark.postgres
def test_start_up_gives_up_after_its_timeout(
    small: Settings, proxy: OutageProxy, postgres_url: str
) -> None:
    from org_registry.bootstrap import create_app

    proxy.cut()
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        create_app(
            through(small, proxy, postgres_url).model_copy(update={"startup_timeout_seconds": 1.0})
        )
    assert time.monotonic() - started < 10


@pytest.mark.postgres
async def test_migrate_waits_for_the_database_too(
    small: Settings, proxy: OutageProxy, postgres_url: str
) -> None:
    proxy.cut()
    threading.Timer(2.0, proxy.restore).start()
    where = await migrate(through(small, proxy, postgres_url), "org-registry")
    assert f"schema={small.schema_prefix}org_registry" in where


@pytest.mark.postgres
async def test_sslmode_reaches_both_drivers(small: Settings, postgres_url: str) -> None:
    # The test server speaks no TLS: "require" must fail in both drivers, "disable" pass.
    required = small.model_copy(
        update={"database_url": f"{postgres_url}?sslmode=require", "startup_timeout_seconds": 0}
    )
    storage = Storage.for_service(required, "org-registry")
    with pytest.raises(psycopg.OperationalError, match="SSL"):
        storage.prepare()
    database = ReadModelDatabase(storage)
    try:
        with pytest.raises(ConnectionError, match="rejected SSL upgrade"):
            await database.ping()
    finally:
        await database.dispose()

    disabled = small.model_copy(update={"database_url": f"{postgres_url}?sslmode=disable"})
    storage = Storage.for_service(disabled, "org-registry")
    storage.prepare()
    database = ReadModelDatabase(storage)
    try:
        await database.ping()
    finally:
        await database.dispose()
