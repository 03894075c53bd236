"""A projection folds feed events into read-model tables."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent


class Projection(Protocol):
    """What a consumer needs of a read model.

    ``version`` changes when the tables or the fold change; a consumer finding a stored
    position written by another version replays from zero into new tables beside the live
    ones and swaps them in (:mod:`jiceng.followers.rebuilding`).
    """

    name: str
    version: int
    metadata: MetaData

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        """Apply one event inside the page's transaction (raise to refuse it)."""
        ...
