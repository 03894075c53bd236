"""``jiceng migrate`` and ``jiceng projections rebuild``: storage chores without the API."""

from __future__ import annotations

import time

from jiceng.consumer.runner import Consumer
from jiceng.consumer.sources import UpstreamUnavailable
from jiceng.services import bootstrap
from jiceng.settings import Settings


async def rebuild(settings: Settings, service: str) -> None:
    runtime = bootstrap(service).build_runtime(settings)
    await runtime.db.create_all()
    try:
        for consumer in runtime.consumers.values():
            if not isinstance(consumer, Consumer):
                continue  # event-emitting followers have no read model to rebuild
            try:  # never drop tables that cannot be refilled now
                await consumer.source.read(0, 1, 0)
            except UpstreamUnavailable as error:
                print(f"{consumer.name}: skipped, upstream unreachable ({error})")
                continue
            started = time.perf_counter()
            await consumer.rebuild()
            await consumer.catch_up(timeout=3600)
            elapsed = time.perf_counter() - started
            print(
                f"{consumer.name}: replayed to position {consumer.status.position} "
                f"(head {consumer.status.head}) in {elapsed:.2f}s; "
                f"dead letters: {consumer.status.dead_letters}"
            )
    finally:
        await runtime.stop()


async def migrate(settings: Settings, service: str) -> str:
    """Create the service's schema, event-store tables and read-model tables; say where."""
    runtime = bootstrap(service).build_runtime(settings)  # creates schema and event tables
    try:
        await runtime.db.create_all()
        for consumer in runtime.consumers.values():
            if isinstance(consumer, Consumer):
                await consumer.load_position()  # creates the projection's tables
        where: str = runtime.storage.describe()
        return where
    finally:
        await runtime.stop()
