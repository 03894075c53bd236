"""Feed and follower throughput, as ratios against baselines measured in the same run.

- feed page: ``read_page`` (select + decode + canonical form) against the recorder's raw
  ``select_notifications`` for the same pages;
- follower catch-up: the org-tree projection folding the log, against the same number of
  plain single-row inserts into a table of the same database, one transaction per page.
"""

from __future__ import annotations

import time

import anyio
from sqlalchemy import Column, Integer, MetaData, String, Table

from jiceng.eventlog.records import read_page
from jiceng.settings import Settings
from org_registry.bootstrap import build_runtime
from support import bulk_establish

EVENTS = 5000
PAGE = 500


async def test_feed_and_follower_throughput(storage_settings: Settings) -> None:
    runtime = build_runtime(storage_settings)
    await runtime.start(run_consumers=False)
    try:
        for _ in range(EVENTS // 1000):
            await anyio.to_thread.run_sync(bulk_establish, runtime.log, 1000)
        kind = runtime.storage.kind

        started = time.perf_counter()
        for after in range(0, EVENTS, PAGE):
            runtime.log.recorder.select_notifications(
                start=after, limit=PAGE, inclusive_of_start=False
            )
        raw = time.perf_counter() - started

        started = time.perf_counter()
        for after in range(0, EVENTS, PAGE):
            read_page(runtime.log, after=after, limit=PAGE)
        feed = time.perf_counter() - started

        orgtree = runtime.follower_for("org-registry", "orgtree")
        orgtree.page_size = PAGE
        started = time.perf_counter()
        await orgtree.catch_up(timeout=600)
        fold = time.perf_counter() - started

        baseline_table = Table(
            "bench_rows",
            MetaData(),
            Column("id", Integer, primary_key=True),
            Column("name", String(200)),
        )
        async with runtime.db.engine.begin() as conn:
            await conn.run_sync(baseline_table.metadata.create_all)
        started = time.perf_counter()
        for page in range(EVENTS // PAGE):
            async with runtime.db.engine.begin() as conn:
                for n in range(PAGE):
                    await conn.execute(baseline_table.insert().values(id=page * PAGE + n, name="x"))
        inserts = time.perf_counter() - started

        print(
            f"\n[{kind}] {EVENTS} events, pages of {PAGE}\n"
            f"  feed pages:     {EVENTS / feed:>9.0f} events/s  "
            f"= {raw / feed:.2f} x raw select ({EVENTS / raw:.0f} events/s)\n"
            f"  org-tree fold:  {EVENTS / fold:>9.0f} events/s  "
            f"= {inserts / fold:.2f} x plain inserts ({EVENTS / inserts:.0f} rows/s)"
        )
    finally:
        await runtime.stop()
