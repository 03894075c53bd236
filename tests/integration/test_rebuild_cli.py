"""`jiceng projections rebuild`: read models dropped and replayed from zero, equal to before."""

from __future__ import annotations

import anyio
import pytest
from sqlalchemy import inspect, select

from jiceng.cli.maintenance import migrate, rebuild
from jiceng.orgtree import org_nodes
from jiceng.settings import Settings
from member_lifecycle.bootstrap import build_runtime as member_lifecycle_runtime
from org_registry.bootstrap import build_runtime
from support import bulk_establish


async def snapshot(settings: Settings) -> list[tuple[object, ...]]:
    runtime = build_runtime(settings)
    try:
        async with runtime.db.engine.connect() as conn:
            rows = await conn.execute(
                select(
                    org_nodes.c.id, org_nodes.c.path, org_nodes.c.name, org_nodes.c.version
                ).order_by(org_nodes.c.id)
            )
            return [tuple(r) for r in rows]
    finally:
        await runtime.stop()


async def test_rebuild_replays_to_the_same_tables(
    storage_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime = build_runtime(storage_settings)
    await runtime.start(run_consumers=False)
    await anyio.to_thread.run_sync(bulk_establish, runtime.log, 40)
    await runtime.follower_for("org-registry", "orgtree").catch_up()
    await runtime.stop()
    before = await snapshot(storage_settings)
    assert len(before) == 40

    results = await rebuild(storage_settings, "org-registry", progress=False)

    assert "org-registry:orgtree: replayed to position 40" in capsys.readouterr().out
    assert await snapshot(storage_settings) == before
    assert all(r.equal for r in results), [r for r in results if not r.equal]
    orgtree = next(r for r in results if r.consumer == "org-registry:orgtree")
    assert orgtree.tables["org_nodes"][1].rows == 40


async def test_rebuild_reports_a_table_that_drifted(storage_settings: Settings) -> None:
    runtime = build_runtime(storage_settings)
    await runtime.start(run_consumers=False)
    await anyio.to_thread.run_sync(bulk_establish, runtime.log, 5)
    await runtime.follower_for("org-registry", "orgtree").catch_up()
    async with runtime.db.engine.begin() as conn:  # someone edits a read model by hand
        await conn.execute(org_nodes.update().values(name="手工改动"))
    await runtime.stop()
    results = await rebuild(storage_settings, "org-registry", progress=False)
    orgtree = next(r for r in results if r.consumer == "org-registry:orgtree")
    assert not orgtree.equal
    live, rebuilt = orgtree.tables["org_nodes"]
    assert (live.rows, rebuilt.rows) == (5, 5) and live.sha256 != rebuilt.sha256


async def test_migrate_creates_every_table_and_is_repeatable(storage_settings: Settings) -> None:
    for _ in range(2):
        where = await migrate(storage_settings, "member-lifecycle")
    assert "member_lifecycle" in where or "member-lifecycle" in where
    runtime = member_lifecycle_runtime(storage_settings)
    try:
        async with runtime.db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"consumer_positions", "dead_letters", "org_nodes"} <= tables
    finally:
        await runtime.stop()
