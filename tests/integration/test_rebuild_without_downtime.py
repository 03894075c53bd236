"""`jiceng projections rebuild` while the service runs: reads never miss a row, writes survive.

The rebuild runs in this process as it would in another one (its own runtime and engines,
the same database), while the live service answers organisation lookups and takes new
commands over HTTP in-process.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import anyio
from sqlalchemy import inspect, select, text

from jiceng.cli.maintenance import rebuild
from jiceng.followers import LocalFeedSource, ProjectionFollower
from jiceng.followers.rebuilding import shadow_rebuild
from jiceng.orgtree import org_nodes
from jiceng.readmodel.digest import table_digests
from jiceng.settings import Settings
from org_registry.bootstrap import build_runtime
from support import Api, FoldProjection, bulk_establish

ORGS = 2000
ORG = "/org-registry/v1/organisations/{}"


async def lookups(
    api: Api, ids: list[str], made: list[str], stop: asyncio.Event, seen: dict[str, Any]
) -> None:
    """Look organisations up until told to stop, the loaded ones and those made since (each
    answered after its command's read-your-writes); note every answer that is not the org."""
    headers = api.headers()
    rng = random.Random(14)
    while not stop.is_set():
        org_id = rng.choice(made) if made and rng.random() < 0.3 else rng.choice(ids)
        response = await api.client.get(ORG.format(org_id), headers=headers)
        seen["reads"] += 1
        if response.status_code != 200 or response.json()["id"] != org_id:
            seen["missing"].append((org_id, response.status_code))
        await asyncio.sleep(0.005)


async def commands(api: Api, stop: asyncio.Event, made: list[str]) -> None:
    """Establish organisations one after another while the rebuild runs."""
    n = 0
    while not stop.is_set():
        made.append((await api.establish(f"重建期间{n:03d}"))["id"])
        n += 1
        await asyncio.sleep(0.05)


async def test_reads_and_writes_go_on_while_the_read_models_are_rebuilt(
    org_service: Api, storage_settings: Settings
) -> None:
    runtime = org_service.runtime
    await anyio.to_thread.run_sync(bulk_establish, runtime.log, ORGS)
    assert await runtime.follower_for("org-registry", "orgtree").wait_for(ORGS, timeout=120)
    async with runtime.db.engine.connect() as conn:
        ids = list((await conn.execute(select(org_nodes.c.id))).scalars())
    assert len(ids) == ORGS

    stop = asyncio.Event()
    seen: dict[str, Any] = {"reads": 0, "missing": []}
    made: list[str] = []
    readers = [asyncio.create_task(lookups(org_service, ids, made, stop, seen))]
    writer = asyncio.create_task(commands(org_service, stop, made))
    try:
        results = await rebuild(storage_settings, "org-registry", progress=False)
    finally:
        stop.set()
        await asyncio.gather(*readers, writer)
    print(f"during the rebuild: {seen['reads']} lookups, {len(seen['missing'])} missing")

    assert seen["missing"] == []
    assert seen["reads"] > 100
    assert len(made) >= 5, "commands ran during the rebuild"
    assert all(r.equal for r in results), [r for r in results if not r.equal]
    orgtree = next(r for r in results if r.consumer == "org-registry:orgtree")
    assert orgtree.tables["org_nodes"][1].rows >= ORGS
    # Every organisation made during the rebuild is there after the swap.
    for org_id in made:
        response = await org_service.client.get(ORG.format(org_id), headers=org_service.headers())
        assert response.status_code == 200, (org_id, response.text)

    # The tables swapped in, with what the live follower folded since, equal a replay from
    # zero of the whole log: nothing lost, nothing doubled.
    assert await runtime.follower_for("org-registry", "orgtree").wait_for(
        runtime.log.head(), timeout=30
    )
    live = await table_digests(runtime.db, org_nodes.metadata)
    assert live["org_nodes"].rows == ORGS + len(made)
    async with shadow_rebuild(runtime.follower_for("org-registry", "orgtree")) as replay:
        await replay.replay()
        assert await replay.digests() == live
    await indexes_survived(org_service)


async def indexes_survived(api: Api) -> None:
    """The swapped-in tables have their indexes and constraints; no shadow is left behind."""
    async with api.runtime.db.engine.connect() as conn:
        indexes = await conn.run_sync(lambda c: inspect(c).get_indexes("org_nodes"))
        keys = await conn.run_sync(lambda c: inspect(c).get_pk_constraint("org_nodes"))
        if conn.dialect.name == "postgresql":
            left = await conn.execute(
                text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
                {"p": f"{api.runtime.storage.schema}__rebuild%"},
            )
            assert list(left) == []
    assert keys["constrained_columns"] == ["id"]
    found = {i["name"]: (i["column_names"], bool(i["unique"])) for i in indexes}
    assert found == {
        "ix_org_nodes_parent_name": (["parent_id", "name", "id"], False),
        "ix_org_nodes_path": (["path"], True),
        "ix_org_nodes_code": (["code"], False),
    }
    if api.runtime.storage.kind == "sqlite":
        directory = api.runtime.storage.directory
        assert directory is not None
        assert not any((directory / "rebuild").glob("*/readmodels.sqlite"))


async def test_a_rebuild_beside_the_live_follower_applies_each_event_once(
    storage_settings: Settings,
) -> None:
    runtime = build_runtime(storage_settings)
    await runtime.start(run_consumers=False)
    try:
        await anyio.to_thread.run_sync(bulk_establish, runtime.log, 1500)
        projection = FoldProjection()  # no unique key: an event applied twice shows twice
        source = LocalFeedSource(runtime.log, runtime.signal, "org-registry")
        live = ProjectionFollower("org-registry:fold", source, projection, runtime.db, wait=1)
        live.start()
        assert await live.wait_for(1500, timeout=60)

        async def keep_writing() -> None:
            while not rebuilding.done():
                await anyio.to_thread.run_sync(bulk_establish, runtime.log, 3)
                await asyncio.sleep(0.01)

        other = ProjectionFollower("org-registry:fold", source, projection, runtime.db)
        rebuilding = asyncio.create_task(other.rebuild())
        await asyncio.gather(rebuilding, keep_writing())
        head = runtime.log.head()
        assert head > 1500, "events came during the rebuild"
        assert await live.wait_for(head, timeout=30)
        await live.stop()
        assert await projection.applied_ids(runtime.db) == list(range(1, head + 1))
    finally:
        await runtime.stop()
