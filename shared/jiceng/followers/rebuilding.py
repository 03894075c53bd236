"""Rebuilding a projection without downtime: replay into a shadow, then swap it in.

The live tables keep serving reads, and the live follower keeps folding new events into
them, while a second follower of the same feed replays the log from zero into shadow tables
(:mod:`jiceng.readmodel.shadow`). Once the shadow is near the log's head it is swapped in
with the consumer's position in one transaction (:mod:`jiceng.readmodel.swap`), after a last
catch-up made while the live follower cannot commit. One rebuild per consumer runs at a time
(:mod:`jiceng.readmodel.rebuild_lock`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from jiceng.readmodel.digest import TableDigest, table_digests
from jiceng.readmodel.rebuild_lock import rebuild_lock
from jiceng.readmodel.shadow import Shadow, discard_shadow, open_shadow
from jiceng.readmodel.swap import swap
from jiceng.readmodel.tables import consumer_positions

if TYPE_CHECKING:
    from jiceng.followers.projecting import ProjectionFollower

log = logging.getLogger(__name__)

#: A replay from zero may take long; it only has to end.
REPLAY_TIMEOUT = 24 * 3600.0


class ShadowRebuild:
    """One rebuild of ``live``'s projection; use :func:`shadow_rebuild` to open one."""

    def __init__(self, live: ProjectionFollower, shadow: Shadow) -> None:
        self.live = live
        self.shadow = shadow
        self.follower: ProjectionFollower = type(live)(
            live.name, live.source, live.projection, shadow.db, page_size=live.page_size, wait=0
        )

    @property
    def position(self) -> int:
        """How far the shadow has replayed."""
        return self.follower.status.position

    async def replay(
        self, until: int | None = None, on_page: Callable[[int, int], None] | None = None
    ) -> None:
        """Replay into the shadow up to ``until``, or up to the head seen when it starts."""
        await self.follower.catch_up(timeout=REPLAY_TIMEOUT, on_page=on_page, until=until)

    async def digests(self) -> dict[str, TableDigest]:
        """The shadow's tables, digested as :func:`table_digests` digests live ones."""
        return await table_digests(self.shadow.db, self.live.projection.metadata)

    async def swap(self) -> int:
        """Catch up, swap the shadow in, and return the position the live tables now have."""
        await self.replay()  # what arrived during the replay, outside any lock
        position = await swap(
            self.shadow, self.live.projection.metadata, self.live.projection.version, self._last
        )
        log.info("rebuild of %s: swapped in at position %s", self.live.name, position)
        return position

    async def _last(self, live_position: int) -> int:
        """The last catch-up, while the live follower cannot commit."""
        await self.replay()
        if self.position < live_position:
            msg = (
                f"rebuild of {self.live.name}: the shadow reached {self.position}, "
                f"behind the live position {live_position}"
            )
            raise RuntimeError(msg)
        return self.position


@contextlib.asynccontextmanager
async def shadow_rebuild(live: ProjectionFollower) -> AsyncIterator[ShadowRebuild]:
    """A rebuild of ``live``'s projection beside its live tables, under the rebuild lock; the
    shadow is removed afterwards, swapped in or not."""
    async with rebuild_lock(live.db, live.name):
        await ensure_position_row(live)
        shadow = await open_shadow(live.db, live.name, live.projection.metadata)
        try:
            yield ShadowRebuild(live, shadow)
        finally:
            await discard_shadow(shadow)


async def ensure_position_row(live: ProjectionFollower) -> None:
    """The live position row the swap locks and moves (position 0 for a new consumer)."""
    with contextlib.suppress(IntegrityError):  # the live follower inserted it meanwhile
        async with live.db.engine.begin() as conn:
            found = (
                await conn.execute(
                    select(consumer_positions.c.name).where(consumer_positions.c.name == live.name)
                )
            ).first()
            if found is None:
                await conn.execute(
                    insert(consumer_positions).values(
                        name=live.name,
                        position=0,
                        projection_version=live.projection.version,
                        updated_at=datetime.now(UTC),
                    )
                )
