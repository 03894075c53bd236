"""PostgreSQL out of reach, from outside: the service reaches it through a TCP proxy the test
cuts (connections dropped, new ones refused) or freezes (nothing passes, nothing fails).

/readyz answers 503 within the readiness timeout (asserted < 3 s), commands and reads answer
503 ``storage.unavailable`` with Retry-After, and both recover once the fault clears. The
connections the idle service holds are counted at the proxy.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.settings import Settings
from outage_proxy import OutageProxy, outage_proxy
from support import drop_schemas

ORGS = "/org-registry/v1/organisations"
BODY = {"name": "党委", "org_type": "committee", "domain": "university", "parent_id": None}


@dataclass
class Service:
    client: httpx.AsyncClient
    proxy: OutageProxy
    headers: dict[str, str]


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[OutageProxy]:
    with outage_proxy(postgres_url) as running:
        yield running


@pytest.fixture
def outage_settings(
    settings: Settings, postgres_url: str, proxy: OutageProxy
) -> Iterator[Settings]:
    prefix = f"houtage{uuid.uuid4().hex[:8]}_"
    yield settings.model_copy(
        update={
            "database_url": proxy.url_through(postgres_url),
            "schema_prefix": prefix,
            "event_pool_size": 1,
            "event_pool_overflow": 1,
            "read_pool_size": 1,
            "read_pool_overflow": 1,
            "pool_timeout_seconds": 2.0,
        }
    )
    drop_schemas(postgres_url, prefix)


@pytest.fixture
async def service(outage_settings: Settings, proxy: OutageProxy) -> AsyncIterator[Service]:
    from org_registry.bootstrap import create_app

    app = create_app(outage_settings)
    token = TokenService(outage_settings).mint("tester", [Role.PLATFORM_ADMIN])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", timeout=60
        ) as client:
            yield Service(client, proxy, {"Authorization": f"Bearer {token}"})


async def timed(request: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await request
    return response, time.monotonic() - started


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["code"] == "storage.unavailable"


async def recovers(service: Service) -> None:
    """readyz 200 and a command 201 again, within a generous bound."""
    deadline = time.monotonic() + 30
    while True:
        ready = await service.client.get("/readyz")
        command = await service.client.post(ORGS, json=BODY, headers=service.headers)
        if ready.status_code == 200 and command.status_code == 201:
            return
        assert time.monotonic() < deadline, (ready.text, command.text)
        await asyncio.sleep(0.5)


@pytest.mark.postgres
async def test_database_down_readyz_and_commands_answer_503_then_recover(
    service: Service,
) -> None:
    assert (await service.client.get("/readyz")).status_code == 200
    created = await service.client.post(ORGS, json=BODY, headers=service.headers)
    assert created.status_code == 201

    service.proxy.cut()
    for _ in range(3):
        ready, seconds = await timed(service.client.get("/readyz"))
        assert ready.status_code == 503
        assert seconds < 3
        assert ready.json()["status"] == "unavailable"
    command = await service.client.post(ORGS, json=BODY, headers=service.headers)
    assert_unavailable(command)
    keyed = await service.client.post(
        ORGS, json=BODY, headers={**service.headers, "Idempotency-Key": "outage-1"}
    )
    assert_unavailable(keyed)
    read = await service.client.get(
        f"{ORGS}/{created.json()['id']}", headers={**service.headers, "Accept-Language": "en"}
    )
    assert_unavailable(read)
    assert read.json()["title"] == "Storage unavailable"

    service.proxy.restore()
    await recovers(service)
    again = await service.client.post(
        ORGS, json=BODY, headers={**service.headers, "Idempotency-Key": "outage-1"}
    )
    assert again.status_code == 201  # the key was not kept for the 503


@pytest.mark.postgres
async def test_database_silent_readyz_still_answers_in_time(service: Service) -> None:
    assert (await service.client.get("/readyz")).status_code == 200
    service.proxy.freeze()  # a partition: connections stay open, no byte passes
    accepted = service.proxy.accepted
    try:
        for _ in range(3):
            started = time.monotonic()
            answers = await asyncio.gather(*(service.client.get("/readyz") for _ in range(10)))
            assert time.monotonic() - started < 3
            assert {a.status_code for a in answers} == {503}
        # 30 probes: one check of each kind at a time (single flight), not one per probe.
        assert service.proxy.accepted - accepted <= 3 * 2 + 4
    finally:
        service.proxy.thaw()
    await recovers(service)


@pytest.mark.postgres
async def test_an_idle_process_opens_what_its_settings_allow(
    outage_settings: Settings, proxy: OutageProxy
) -> None:
    from org_registry.bootstrap import create_app

    app = create_app(outage_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/readyz")).status_code == 200
            await asyncio.sleep(3)  # followers settle on an empty log
            held = proxy.open_connections
    # Event store pool 1+1, read models 1+1, the LISTEN connection; org-registry has no
    # reactions (no advisory-lock connections).
    assert 2 <= held <= 5, held
    await asyncio.sleep(0.5)
    assert proxy.open_connections == 0
