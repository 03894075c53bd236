"""The feed on real storage: paging through the whole log, filters, and long-poll."""

from __future__ import annotations

import asyncio

import anyio

from jiceng.eventlog import Storage
from jiceng.settings import Settings
from org_registry.application import OrgRegistry
from support import Api, bulk_establish

FEED = "/org-registry/v1/events"


async def test_paging_through_the_whole_log(org_service: Api) -> None:
    await anyio.to_thread.run_sync(bulk_establish, org_service.runtime.log, 250)
    headers = org_service.headers()
    seen: list[int] = []
    after = 0
    while True:
        page = (
            await org_service.client.get(
                FEED, params={"after": after, "limit": 100}, headers=headers
            )
        ).json()
        seen += [e["id"] for e in page["events"]]
        assert page["head"] == 250
        if page["next_after"] == after:
            break
        after = page["next_after"]
    assert seen == list(range(1, 251))
    head = (await org_service.client.get(f"{FEED}/head", headers=headers)).json()
    assert head == {"head": 250}


async def test_type_filter(org_service: Api) -> None:
    org = await org_service.establish("旧名", org_type="committee")
    await org_service.client.post(
        f"/org-registry/v1/organisations/{org['id']}/renaming",
        json={"name": "新名"},
        headers=org_service.headers(),
    )
    page = (
        await org_service.client.get(
            FEED, params={"types": "Organisation.Renamed"}, headers=org_service.headers()
        )
    ).json()
    assert [e["type"] for e in page["events"]] == ["Organisation.Renamed"]
    assert page["events"][0]["payload"] == {
        "name": "新名",
        "short_name": None,
        "source": None,  # not from an imported spreadsheet
        "class_version": 2,
    }


async def test_long_poll_returns_when_an_event_arrives(org_service: Api) -> None:
    headers = org_service.headers()
    waiting = asyncio.create_task(
        org_service.client.get(FEED, params={"after": 0, "wait": 20}, headers=headers)
    )
    await asyncio.sleep(0.3)
    assert not waiting.done()
    await org_service.establish("新支部", org_type="committee")
    response = await asyncio.wait_for(waiting, 15)
    assert [e["payload"]["name"] for e in response.json()["events"]] == ["新支部"]


async def test_long_poll_ends_empty_when_nothing_arrives(org_service: Api) -> None:
    response = await org_service.client.get(
        FEED, params={"after": 0, "wait": 0.5}, headers=org_service.headers()
    )
    assert response.json() == {"events": [], "head": 0, "next_after": 0}


async def test_long_poll_wakes_for_a_write_by_another_process(
    org_service: Api, storage_settings: Settings
) -> None:
    """Another writer (a second pod) shares the database but not the in-process signal."""
    if org_service.runtime.storage.kind != "postgres":
        return  # SQLite has no cross-process signal: one process serves one file
    other = OrgRegistry(Storage.for_service(storage_settings, "org-registry"))
    try:
        waiting = asyncio.create_task(
            org_service.client.get(
                FEED, params={"after": 0, "wait": 20}, headers=org_service.headers()
            )
        )
        await asyncio.sleep(0.5)
        await anyio.to_thread.run_sync(bulk_establish, other, 1)
        response = await asyncio.wait_for(waiting, 15)
        assert len(response.json()["events"]) == 1
    finally:
        other.close()
