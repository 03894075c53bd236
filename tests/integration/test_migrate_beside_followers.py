"""`jiceng migrate` during a rollout: the old version's followers still run and hold every
subscription's lock. With no read model changing version, the migration has nothing to wait
for; with one, it waits for them and says so, and finishes once they stop."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from jiceng.auth.tokens import TokenService
from jiceng.cli import maintenance
from jiceng.settings import Settings
from support import Api

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_settings(settings: Settings, postgres_url: str, pg_schema_prefix: str) -> Settings:
    return settings.model_copy(
        update={"database_url": postgres_url, "schema_prefix": pg_schema_prefix}
    )


async def test_migrate_beside_running_followers(pg_settings: Settings) -> None:
    from org_registry.bootstrap import create_app

    app = create_app(pg_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            api = Api(client, app.state.runtime, TokenService(pg_settings))
            await api.establish("迁移时运行的党委", org_type="committee")
            # The followers of this process hold their locks; a migration must not wait.
            where = await asyncio.wait_for(maintenance.migrate(pg_settings, "org-registry"), 60)
            assert "schema=" in where
            own = [
                f for n, f in app.state.runtime.followers.items() if n.startswith("org-registry:")
            ]
            assert own and all(f.holds_lock() for f in own)


async def test_a_new_version_waits_for_the_running_followers_and_says_so(
    pg_settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from org_registry.bootstrap import create_app
    from org_registry.projections.venues import VenuesProjection

    await maintenance.migrate(pg_settings, "org-registry")
    app = create_app(pg_settings)
    async with app.router.lifespan_context(app):
        # The next release's read model: its version moved on.
        monkeypatch.setattr(VenuesProjection, "version", VenuesProjection.version + 1)
        monkeypatch.setattr(maintenance, "LOCK_NOTICE_SECONDS", 0.5)
        migrating = asyncio.ensure_future(maintenance.migrate(pg_settings, "org-registry"))
        await asyncio.sleep(2.0)
        assert not migrating.done()
        assert "waiting for the followers running it to stop" in capsys.readouterr().err
    # The old followers stopped (the app's lifespan ended): the rebuild goes ahead.
    assert "schema=" in await asyncio.wait_for(migrating, 60)
