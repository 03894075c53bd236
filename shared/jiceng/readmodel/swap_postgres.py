"""PostgreSQL: move the shadow schema's tables into the live schema in one transaction.

``ALTER TABLE … SET SCHEMA`` takes a table with its indexes, constraints and owned sequences,
and costs the same for ten rows or ten million. The live tables are locked together
(``ACCESS EXCLUSIVE``) before any is dropped, so a reader's transaction sees every table old
or every table new: a query waiting on a lock looks its table up again once the swap commits
and finds the new one.
"""

from __future__ import annotations

from sqlalchemy import MetaData, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.readmodel.shadow import Shadow
from jiceng.readmodel.swap_steps import CatchUp, adopt_bookkeeping, live_position

#: How long the swap waits for a lock (a follower's page, a reader) before it gives up and
#: is tried again, the live follower and readers going on meanwhile.
LOCK_TIMEOUT = "10s"


async def swap_postgres(shadow: Shadow, metadata: MetaData, version: int, catch_up: CatchUp) -> int:
    assert shadow.schema is not None and shadow.live.storage.schema is not None
    live_schema = shadow.live.storage.schema
    names = [table.name for table in metadata.sorted_tables]
    async with shadow.live.engine.begin() as conn:
        await conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        # The position row first: a live page takes it before touching a table, so it waits
        # here holding nothing the swap needs (see ProjectionFollower.commit).
        position = await catch_up(await live_position(conn, shadow.consumer, None))
        quote = conn.dialect.identifier_preparer.quote
        existing = await _existing(conn, live_schema, names)
        if existing:
            tables = ", ".join(f"{quote(live_schema)}.{quote(n)}" for n in existing)
            await conn.execute(text(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE"))
        for name in reversed(names):
            if name in existing:
                await conn.execute(text(f"DROP TABLE {quote(live_schema)}.{quote(name)}"))
        for name in names:
            await conn.execute(
                text(
                    f"ALTER TABLE {quote(shadow.schema)}.{quote(name)} "
                    f"SET SCHEMA {quote(live_schema)}"
                )
            )
        await adopt_bookkeeping(
            conn, shadow.consumer, position, version, live=None, shadow=shadow.schema
        )
    return position


async def _existing(conn: AsyncConnection, schema: str, names: list[str]) -> list[str]:
    """Which of ``names`` are tables in ``schema``, in the order given."""
    query = text(
        "SELECT tablename FROM pg_catalog.pg_tables "
        "WHERE schemaname = :schema AND tablename IN :names"
    ).bindparams(bindparam("names", expanding=True))
    found = set((await conn.execute(query, {"schema": schema, "names": names})).scalars())
    return [name for name in names if name in found]
