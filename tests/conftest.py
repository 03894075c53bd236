"""Fixtures shared by every tier: settings, storages (memory, SQLite, PostgreSQL), API clients."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.eventlog.storage import Storage
from jiceng.settings import Settings
from path_support import TODAY as PATH_TODAY
from support import TODAY, Api, drop_schemas

POSTGRES_URL = os.environ.get(
    "JICENG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def _clean_jiceng_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests build their own settings; a developer's JICENG_* variables must not leak in, nor
    OTEL_* ones (tests that trace keep their spans in memory)."""
    for key in list(os.environ):
        if key.startswith(("JICENG_", "OTEL_")) and key != "JICENG_TEST_POSTGRES_URL":
            monkeypatch.delenv(key)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Tests run one service at a time: the feeds of the others are not there to follow.
    return Settings(
        env="dev", data_dir=tmp_path / "var", feed_wait_seconds=2.0, follow_remote_feeds=False
    )


@pytest.fixture
def tokens(settings: Settings) -> TokenService:
    return TokenService(settings)


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> str:
    if not postgres_available():
        if IN_CI:
            pytest.fail(f"CI=true but PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    return POSTGRES_URL


@pytest.fixture
def pg_schema_prefix(postgres_url: str) -> Iterator[str]:
    """A fresh schema prefix per test; the schemas it made are dropped afterwards."""
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    yield prefix
    drop_schemas(postgres_url, prefix)


@pytest.fixture(params=["sqlite", "postgres"])
def storage_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """Settings on SQLite files, then on PostgreSQL (one schema per service per test)."""
    if request.param == "sqlite":
        return settings
    url = request.getfixturevalue("postgres_url")
    prefix = request.getfixturevalue("pg_schema_prefix")
    return settings.model_copy(update={"database_url": url, "schema_prefix": prefix})


def storage_for(settings: Settings, service: str) -> Storage:
    return Storage.for_service(settings, service)


@pytest.fixture
async def org_api(settings: Settings, tokens: TokenService) -> AsyncIterator[Api]:
    """org-registry in memory, driven in-process over ASGI."""
    from org_registry.bootstrap import create_app

    app = create_app(settings, storage=Storage.memory("org-registry"), clock=lambda: TODAY)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, app.state.runtime, tokens)


@pytest.fixture
async def lifecycle_api(settings: Settings, tokens: TokenService) -> AsyncIterator[Api]:
    """member-lifecycle in memory, driven in-process over ASGI."""
    from member_lifecycle.bootstrap import create_app

    # member-lifecycle's tests date the path as path_support does (its "today").
    app = create_app(settings, storage=Storage.memory("member-lifecycle"), clock=lambda: PATH_TODAY)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, app.state.runtime, tokens)


@pytest.fixture
def admin_headers(tokens: TokenService) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.mint('admin', [Role.PLATFORM_ADMIN])}"}
