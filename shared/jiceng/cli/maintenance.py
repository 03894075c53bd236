"""``jiceng migrate`` and ``jiceng projections rebuild``: storage chores without the API."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jiceng.followers.projecting import ProjectionFollower
from jiceng.followers.sources import UpstreamUnavailable
from jiceng.readmodel.digest import TableDigest, table_digests
from jiceng.registry import definition
from jiceng.settings import Settings


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
    """Drop each read model, replay it from zero, and compare it with what was live."""
    runtime = definition(service).build_runtime(settings)
    await runtime.db.create_all()
    results: list[Rebuilt] = []
    try:
        for consumer in runtime.followers.values():
            if not isinstance(consumer, ProjectionFollower):
                continue  # event-emitting followers have no read model to rebuild
            try:  # never drop tables that cannot be refilled now
                await consumer.source.read(0, 1, 0)
            except UpstreamUnavailable as error:
                print(f"{consumer.name}: skipped, upstream unreachable ({error})")
                continue
            metadata = consumer.projection.metadata
            live_position = await consumer.load_position()
            live = await table_digests(runtime.db, metadata)
            started = time.perf_counter()
            await consumer.rebuild()
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
                    bar.update(task, completed=done, total=total)  # noqa: B023

                # Compare at the position the live tables had reached, then go on to the head.
                await consumer.catch_up(timeout=3600, on_page=advance, until=live_position)
                rebuilt = await table_digests(runtime.db, metadata)
                await consumer.catch_up(timeout=3600, on_page=advance)
            result = Rebuilt(
                consumer.name,
                consumer.status.position,
                time.perf_counter() - started,
                {name: (live[name], rebuilt[name]) for name in rebuilt},
            )
            results.append(result)
            _report(result)
    finally:
        await runtime.stop()
    return results


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
            if isinstance(consumer, ProjectionFollower):
                await consumer.load_position()  # creates the projection's tables
        where: str = runtime.storage.describe()
        return where
    finally:
        await runtime.stop()
