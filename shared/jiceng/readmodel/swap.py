"""Swapping a caught-up shadow in for the live read model, in one transaction.

The transaction first takes what stops the live follower committing (PostgreSQL: its
position row, ``FOR UPDATE``; SQLite: the write lock), reads the live position, lets the
shadow catch up to at least that position (``catch_up``, in the shadow's own transactions),
then replaces the live tables by the shadow's, the consumer's dead letters by the shadow's
and the position by the shadow's, and commits. Readers see the whole old read model or the
whole new one, never an empty or half-filled one. A page the live follower applied before
the lock is in the shadow too; one it tries after the swap is refused by the moved position
and read again from there, into the new tables.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import MetaData

from jiceng.readmodel.shadow import Shadow
from jiceng.readmodel.swap_postgres import swap_postgres
from jiceng.readmodel.swap_sqlite import swap_sqlite
from jiceng.readmodel.swap_steps import CatchUp, retryable
from jiceng.redaction import safe_error_text

log = logging.getLogger(__name__)


async def swap(
    shadow: Shadow, metadata: MetaData, version: int, catch_up: CatchUp, attempts: int = 5
) -> int:
    """Swap ``shadow`` in; return the position the live read model now has.

    A swap that could not take its locks (a deadlock with a reader, a lock wait timed out)
    changed nothing and is tried again, up to ``attempts`` times.
    """
    do_swap = swap_postgres if shadow.live.dialect == "postgresql" else swap_sqlite
    for attempt in range(1, attempts + 1):
        try:
            return await do_swap(shadow, metadata, version, catch_up)
        except Exception as error:
            if attempt == attempts or not retryable(error):
                raise
            log.warning(
                "swap of %s: attempt %s/%s failed (%s); trying again",
                shadow.consumer,
                attempt,
                attempts,
                safe_error_text(error),
            )
            await asyncio.sleep(0.2 * attempt)
    raise AssertionError("unreachable")
