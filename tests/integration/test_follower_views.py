"""What operators see of followers: an API-only process shows the subscriptions another
process applies at their stored positions, in /readyz and in /v1/consumers alike; and a
follower counts as active as soon as it holds its subscription, not after its first page
(which a long-poll may hold back for its whole wait)."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from jiceng.auth.principal import Role
from jiceng.settings import Settings
from support import Api, serving

CONSUMER = "org-registry:orgtree"


def org_registry(settings: Settings, run_consumers: bool) -> AbstractAsyncContextManager[Api]:
    from org_registry.bootstrap import create_app

    return serving(create_app(settings, run_consumers=run_consumers), settings)


async def _state(api: Api) -> dict[str, Any]:
    ready = (await api.client.get("/readyz")).json()
    return dict(ready["consumers"][CONSUMER])


@pytest.fixture
def long_polls(storage_settings: Settings) -> Settings:
    return storage_settings.model_copy(update={"feed_wait_seconds": 30.0})


async def test_active_as_soon_as_it_holds_the_subscription(long_polls: Settings) -> None:
    async with org_registry(long_polls, run_consumers=True) as api:
        for _ in range(100):  # well inside the 30 s long-poll of an empty log
            if (await _state(api))["state"] == "running":
                break
            await asyncio.sleep(0.1)
        assert (await _state(api))["state"] == "running"


async def test_an_api_only_process_shows_where_the_followers_are(long_polls: Settings) -> None:
    async with org_registry(long_polls, run_consumers=True) as followers:
        await followers.establish("视图党委", org_type="committee")
        async with org_registry(long_polls, run_consumers=False) as api_only:
            ready = await _state(api_only)
            listed = (
                await api_only.client.get(
                    "/org-registry/v1/consumers", headers=api_only.headers(Role.PLATFORM_ADMIN)
                )
            ).json()
    shown = next(c for c in listed if c["name"] == CONSUMER)
    assert ready["state"] == shown["state"] == "elsewhere"
    assert ready["position"] == shown["position"] >= 1
    assert shown["lag"] == 0 and shown["dead_letters"] == 0
