"""``jiceng projections rebuild``: drop read models and replay them from zero."""

from __future__ import annotations

import time

from jiceng.consumer.runner import Consumer
from jiceng.services import bootstrap
from jiceng.settings import Settings


async def rebuild(settings: Settings, service: str) -> None:
    runtime = bootstrap(service).build_runtime(settings)
    await runtime.db.create_all()
    try:
        for consumer in runtime.consumers.values():
            if not isinstance(consumer, Consumer):
                continue  # event-emitting followers have no read model to rebuild
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
