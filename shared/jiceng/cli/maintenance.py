"""``jiceng migrate`` and ``jiceng projections rebuild``: storage chores without the API."""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jiceng.followers.projecting import ProjectionFollower
from jiceng.followers.rebuilding import shadow_rebuild
from jiceng.followers.sources import UpstreamUnavailable
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.digest import TableDigest, live_snapshot
from jiceng.registry import definition
from jiceng.settings import Settings

#: How long ``migrate`` waits for a subscription's lock before saying who holds it.
LOCK_NOTICE_SECONDS = 10.0


@dataclass(frozen=True)
class Rebuilt:
    consumer: str
    position: int
    seconds: float
    tables: dict[str, tuple[TableDigest, TableDigest]]  # table: (live before, rebuilt)

    @property
    def equal(self) -> bool:
        return all(before == after for before, after in self.tables.values())


async def rebuild(settings: Settings, service: str, *, progress: bool = True) -> list[Rebuilt]:
    """Replay each read model from zero beside the live one, compare the two at the live
    position, and swap the replayed one in (the live tables serve reads until then)."""
    runtime = definition(service).build_runtime(settings)
    await runtime.db.create_all()
    results: list[Rebuilt] = []
    try:
        for consumer in runtime.followers.values():
            if not isinstance(consumer, ProjectionFollower):
                continue  # event-emitting followers have no read model to rebuild
            try:  # never start what cannot be finished now
                await consumer.source.read(0, 1, 0)
            except UpstreamUnavailable as error:
                print(f"{consumer.name}: skipped, upstream unreachable ({error})")
                continue
            result = await _rebuild_one(runtime.db, consumer, progress)
            results.append(result)
            _report(result)
    finally:
        await runtime.stop()
    return results


async def _rebuild_one(
    db: ReadModelDatabase, consumer: ProjectionFollower, progress: bool
) -> Rebuilt:
    metadata = consumer.projection.metadata
    async with db.engine.begin() as conn:  # a projection never followed has no tables yet
        await conn.run_sync(metadata.create_all)
    started = time.perf_counter()
    async with shadow_rebuild(consumer) as shadow:
        live_position, live = await live_snapshot(db, consumer.name, metadata)
        with Progress(
            TextColumn(consumer.name),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not progress,
            transient=True,
        ) as bar:
            task = bar.add_task("replay", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            # Compare at the position the live tables had reached, then go on to the head.
            await shadow.replay(until=live_position, on_page=advance)
            rebuilt = await shadow.digests()
            await shadow.replay(on_page=advance)
        position = await shadow.swap()
    return Rebuilt(
        consumer.name,
        position,
        time.perf_counter() - started,
        {name: (live[name], rebuilt[name]) for name in rebuilt},
    )


def _report(result: Rebuilt) -> None:
    verdict = "equal to the live tables" if result.equal else "DIFFERENT from the live tables"
    print(
        f"{result.consumer}: replayed to position {result.position} in "
        f"{result.seconds:.2f}s; {verdict}"
    )
    for name, (before, after) in result.tables.items():
        mark = "=" if before == after else "≠"
        print(
            f"  {mark} {name}: {after.rows} rows {after.sha256[:16]} "
            f"(live: {before.rows} rows {before.sha256[:16]})"
        )


async def migrate(settings: Settings, service: str) -> str:
    """Create the service's schema, event-store tables and read-model tables; say where."""
    runtime = definition(service).build_runtime(settings)  # creates schema and event tables
    try:
        await runtime.db.create_all()
        for consumer in runtime.followers.values():
            if isinstance(consumer, ProjectionFollower) and not await consumer.prepare_tables():
                await _load_position(consumer)  # first tables, or a new version's rebuild
        where: str = runtime.storage.describe()
        return where
    finally:
        await runtime.stop()


async def _load_position(consumer: ProjectionFollower) -> None:
    """The first tables or a rebuild, under the subscription's lock; while running followers
    hold it, say so (they must stop for a new version: deploy/k8s/README.md, "Rolling out")."""
    loading = asyncio.ensure_future(consumer.load_position())
    done, _ = await asyncio.wait({loading}, timeout=LOCK_NOTICE_SECONDS)
    if not done:
        print(
            f"{consumer.name}: waiting for the followers running it to stop "
            "(its read model changed version and is rebuilt once they have)",
            file=sys.stderr,
            flush=True,
        )
    await loading
