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
    await runtime.consumer_for("org-registry", "orgtree").catch_up()
    await runtime.stop()
    before = await snapshot(storage_settings)
    assert len(before) == 40

    await rebuild(storage_settings, "org-registry")

    assert "org-registry:orgtree: replayed to position 40 (head 40)" in capsys.readouterr().out
    assert await snapshot(storage_settings) == before


async def test_migrate_creates_every_table_and_is_repeatable(storage_settings: Settings) -> None:
    for _ in range(2):
        where = await migrate(storage_settings, "member-lifecycle")
    assert "member_lifecycle" in where or "member-lifecycle" in where
    runtime = member_lifecycle_runtime(storage_settings)
    try:
        async with runtime.db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"consumer_positions", "dead_letters", "idempotency_records", "org_nodes"} <= tables
    finally:
        await runtime.stop()
