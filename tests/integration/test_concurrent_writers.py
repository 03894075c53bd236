"""Two writers to one stream at once: one succeeds, the other is told its version is stale."""

from __future__ import annotations

import asyncio
import threading
from uuid import UUID

import anyio

from jiceng.errors import StaleVersion
from jiceng.eventlog import EventMeta
from org_registry.application import OrgRegistry
from support import Api

META = EventMeta(actor="jwt:tester")


async def test_two_threads_renaming_from_the_same_version(org_service: Api) -> None:
    org = await org_service.establish("党支部", org_type="committee")
    registry = org_service.runtime.log
    assert isinstance(registry, OrgRegistry)
    loaded = threading.Barrier(2)
    outcomes: list[str] = []

    def rename(name: str) -> None:
        aggregate = registry.organisation(UUID(org["id"]))
        loaded.wait()  # both hold version 1 before either saves
        aggregate.rename(name)
        try:
            registry.save(aggregate, meta=META)
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("stale")

    async with anyio.create_task_group() as group:
        group.start_soon(anyio.to_thread.run_sync, rename, "甲")
        group.start_soon(anyio.to_thread.run_sync, rename, "乙")
    assert sorted(outcomes) == ["saved", "stale"]
    assert registry.organisation(UUID(org["id"])).version == 2


async def test_two_requests_with_the_same_if_match(org_service: Api) -> None:
    org = await org_service.establish("党支部", org_type="committee")
    url = f"/org-registry/v1/organisations/{org['id']}/renaming"
    headers = org_service.headers(**{"If-Match": '"1"'})
    responses = await asyncio.gather(
        org_service.client.post(url, json={"name": "甲"}, headers=headers),
        org_service.client.post(url, json={"name": "乙"}, headers=headers),
    )
    assert sorted(r.status_code for r in responses) == [200, 412]
    refused = next(r for r in responses if r.status_code == 412)
    assert refused.json()["code"] in ("concurrency.stale_version", "concurrency.conflict")
