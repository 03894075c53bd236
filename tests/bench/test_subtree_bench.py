"""Subtree queries on a tree of 100,000 organisations (PostgreSQL).

Measures, through the code the API uses (``OrgTree``), a subtree count and the first page of
a subtree for a city (≈5,000 organisations) and for the whole province (≈100,000), and a
page deep into the province's subtree; baseline: the plain indexed query for one node's
children (``parent_id`` index) on the same table, in the same run.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, text

from jiceng.orgtree.projection import org_nodes
from jiceng.settings import Settings
from org_registry.bootstrap import build_runtime

SHAPE = [("committee", 20), ("committee", 25), ("committee", 20), ("branch", 9)]
RUNS = 300


def build_rows() -> list[dict[str, object]]:
    now = datetime.now(UTC)
    root = str(uuid.uuid4())
    rows = [_row(root, None, f"/{root}/", 0, "省委", "committee", now)]
    level = [rows[0]]
    for depth, (org_type, fanout) in enumerate(SHAPE, start=1):
        next_level = []
        for parent in level:
            for n in range(fanout):
                node_id = str(uuid.uuid4())
                row = _row(
                    node_id,
                    parent["id"],
                    f"{parent['path']}{node_id}/",
                    depth,
                    f"{parent['name']}-{n}",
                    org_type,
                    now,
                )
                next_level.append(row)
        rows += next_level
        level = next_level
    return rows


def _row(
    node_id: str, parent: object, path: str, depth: int, name: str, org_type: str, now: datetime
) -> dict[str, object]:
    return {
        "id": node_id,
        "parent_id": parent,
        "path": path,
        "depth": depth,
        "name": name,
        "org_type": org_type,
        "domain": "rural",
        "student_branch": False,
        "status": "active",
        "version": 1,
        "updated_at": now,
        "short_name": None,
        "code": None,
        "region_code": None,
        "established_on": None,
    }


async def timed(call: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


async def test_subtree_queries_on_100k_organisations(
    postgres_url: str, pg_schema_prefix: str, settings: Settings
) -> None:
    pg = settings.model_copy(
        update={"database_url": postgres_url, "schema_prefix": pg_schema_prefix}
    )
    runtime = build_runtime(pg)
    await runtime.db.create_all()
    await runtime.follower_for("org-registry", "orgtree").load_position()
    rows = build_rows()
    async with runtime.db.engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            await conn.execute(insert(org_nodes), rows[start : start + 5000])
    # The steady state autovacuum keeps: statistics and a visibility map (index-only scans).
    async with runtime.db.engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM ANALYZE org_nodes"))
    tree = runtime.orgtree
    province = await tree.get(uuid.UUID(str(rows[0]["id"])))
    city = await tree.get(uuid.UUID(str(rows[1]["id"])))
    assert province is not None and city is not None
    deep_path = str(rows[len(rows) // 2]["path"])
    try:
        assert await tree.count_subtree(province) == len(rows)
        results = {
            "baseline: children page (parent_id index)": await timed(
                lambda: tree.children(city.id, after=None, limit=50)
            ),
            "city subtree count (≈5k)": await timed(lambda: tree.count_subtree(city)),
            "city subtree page of 50": await timed(
                lambda: tree.subtree(city, after_path=None, limit=51)
            ),
            "province subtree count (100k)": await timed(lambda: tree.count_subtree(province)),
            "province subtree page of 50": await timed(
                lambda: tree.subtree(province, after_path=None, limit=51)
            ),
            "province page of 50 from the middle": await timed(
                lambda: tree.subtree(province, after_path=deep_path, limit=51)
            ),
        }
    finally:
        await runtime.stop()
    base = results["baseline: children page (parent_id index)"][0]
    print(f"\n{len(rows)} organisations, {RUNS} runs each (ms; ratio of p50 to baseline p50)")
    for name, (p50, p99) in results.items():
        print(f"  {name:<45} p50 {p50:6.2f}  p99 {p99:6.2f}  ×{p50 / base:5.1f}")


@pytest.fixture
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(env="dev", data_dir=tmp_path / "var", follow_remote_feeds=False)
