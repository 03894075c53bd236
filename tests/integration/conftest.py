"""Integration fixtures: org-registry on real storage (SQLite files, then PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from jiceng.auth.tokens import TokenService
from jiceng.settings import Settings
from support import TODAY, Api


@pytest.fixture
async def org_service(storage_settings: Settings) -> AsyncIterator[Api]:
    from org_registry.bootstrap import create_app

    app = create_app(storage_settings, clock=lambda: TODAY)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, app.state.runtime, TokenService(storage_settings))


@pytest.fixture
async def lifecycle_service(storage_settings: Settings) -> AsyncIterator[Api]:
    from member_lifecycle.bootstrap import create_app

    app = create_app(storage_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, app.state.runtime, TokenService(storage_settings))
