"""Two processes of one service on one store, both running followers: one applies each
subscription, the other stands by, and a command on either answers with its own write.

(The finding this answers: the replica whose follower lost the race waited its full 5 s and
answered as if the read model were current.)
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.settings import Settings

ORGS = "/org-registry/v1/organisations"


@pytest.fixture
async def replicas(storage_settings: Settings) -> AsyncIterator[list[httpx.AsyncClient]]:
    from org_registry.bootstrap import create_app

    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(2):
            app = create_app(storage_settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test", timeout=30
            )
            clients.append(await stack.enter_async_context(client))
        yield clients


async def test_each_answer_of_either_replica_shows_its_own_write(
    replicas: list[httpx.AsyncClient], storage_settings: Settings
) -> None:
    token = TokenService(storage_settings).mint("ops", [Role.PLATFORM_ADMIN])
    headers = {"Authorization": f"Bearer {token}"}
    slowest = 0.0
    for n in range(10):
        writer, reader = replicas[n % 2], replicas[(n + 1) % 2]
        started = time.perf_counter()
        made = await writer.post(
            ORGS,
            json={"name": f"副本{n}", "org_type": "committee", "domain": "rural"},
            headers=headers,
        )
        slowest = max(slowest, time.perf_counter() - started)
        assert made.status_code == 201, made.text
        assert made.headers["jiceng-read-models"] == "current"
        for client in (writer, reader):
            got = await client.get(f"{ORGS}/{made.json()['id']}", headers=headers)
            assert got.status_code == 200
    # Not a benchmark: a wait that ran out (5 s) would have said "behind" above.
    print(f"slowest command {slowest:.3f} s")
