"""The steps both swaps share: the live position, the shadow's bookkeeping made live, retries.

(See :mod:`jiceng.readmodel.swap` for the swap itself.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import MetaData, Table, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.readmodel.tables import consumer_positions, dead_letters

#: Brings the shadow to at least the given live position; returns the shadow's position.
CatchUp = Callable[[int], Awaitable[int]]

#: PostgreSQL: deadlock detected, lock wait timed out, serialisation failure.
_RETRYABLE_STATES = {"40P01", "55P03", "40001"}


def in_schema(table: Table, schema: str | None) -> Table:
    """``table`` named in ``schema`` (the database's attached name or schema)."""
    return table if schema is None else table.to_metadata(MetaData(), schema=schema)


async def live_position(conn: AsyncConnection, consumer: str, live: str | None) -> int:
    """The live position, its row locked until the transaction ends (where rows are locked:
    SQLite's transaction holds the write lock already)."""
    positions = in_schema(consumer_positions, live)
    query = select(positions.c.position).where(positions.c.name == consumer).with_for_update()
    stored = (await conn.execute(query)).scalar_one_or_none()
    return int(stored or 0)


async def adopt_bookkeeping(
    conn: AsyncConnection,
    consumer: str,
    position: int,
    version: int,
    *,
    live: str | None,
    shadow: str,
) -> None:
    """Make the shadow's dead letters and position the live ones (``live``/``shadow``: where
    each set of tables is, as schema or attached database names)."""
    live_letters, shadow_letters = in_schema(dead_letters, live), in_schema(dead_letters, shadow)
    columns = [c.name for c in dead_letters.columns if c.name != "id"]
    await conn.execute(live_letters.delete().where(live_letters.c.consumer == consumer))
    await conn.execute(
        insert(live_letters).from_select(
            columns,
            select(*(shadow_letters.c[name] for name in columns))
            .where(shadow_letters.c.consumer == consumer)
            .order_by(shadow_letters.c.event_id),
        )
    )
    positions = in_schema(consumer_positions, live)
    await conn.execute(
        update(positions)
        .where(positions.c.name == consumer)
        .values(position=position, projection_version=version, updated_at=datetime.now(UTC))
    )


def retryable(error: BaseException) -> bool:
    """A lock the swap could not take now (readers, a follower in the way): try again."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return state in _RETRYABLE_STATES or "database is locked" in str(original)
