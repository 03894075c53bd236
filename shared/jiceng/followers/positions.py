"""The stored positions of subscriptions another process applies, watched by one task.

An API process whose followers run apart (``jiceng follow``), or stand by, learns that its
command's events are applied from the positions those followers commit. However many
requests wait, one task reads all the positions in one query every ``interval`` while any
request waits, and wakes them all.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from sqlalchemy import select

from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.tables import consumer_positions


class StoredPositions:
    def __init__(self, db: ReadModelDatabase, interval: float = 0.02) -> None:
        self.db = db
        self.interval = interval
        self.positions: dict[str, int] = {}
        self._wanted: set[str] = set()
        self._waiters = 0
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    async def wait_for(self, names: Iterable[str], position: int, timeout: float) -> bool:
        """Whether every subscription in ``names`` stored ``position`` within ``timeout``."""
        wanted = set(names)

        def reached() -> bool:
            return all(self.positions.get(n, 0) >= position for n in wanted)

        self._wanted |= wanted
        self._waiters += 1
        try:
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._watch(), name="stored-positions")
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(reached), timeout)
        except TimeoutError:
            return False
        finally:
            self._waiters -= 1
        return True

    async def _watch(self) -> None:
        while self._waiters > 0:
            names = sorted(self._wanted)
            with contextlib.suppress(Exception):  # storage failing: waiters time out
                async with self.db.engine.connect() as conn:
                    rows = (
                        await conn.execute(
                            select(consumer_positions.c.name, consumer_positions.c.position).where(
                                consumer_positions.c.name.in_(names)
                            )
                        )
                    ).all()
                self.positions.update({str(r.name): int(r.position) for r in rows})
                async with self._changed:
                    self._changed.notify_all()
            await asyncio.sleep(self.interval)
        self._wanted.clear()
