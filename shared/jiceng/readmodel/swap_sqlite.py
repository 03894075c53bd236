"""SQLite: copy the shadow file's tables over the live ones in one transaction.

The swap's own connection opens the live file with the shadow attached (``ATTACH`` is refused
inside a transaction, so it happens as the connection opens). Its transaction begins
deferred and takes the live file's write lock with its first statement, leaving the shadow
file free for the last catch-up; then each live table is dropped and created again from the
shadow's own ``CREATE TABLE``/``CREATE INDEX`` statements (indexes and constraints as the
shadow has them), and filled with ``INSERT … SELECT``. WAL readers keep their snapshot until
the commit; the next transaction sees the new tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, bindparam, event, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from jiceng.readmodel.shadow import Shadow
from jiceng.readmodel.swap_steps import CatchUp, adopt_bookkeeping, in_schema, live_position
from jiceng.readmodel.tables import consumer_positions

SHADOW = "rebuild"


async def swap_sqlite(shadow: Shadow, metadata: MetaData, version: int, catch_up: CatchUp) -> int:
    assert shadow.path is not None
    engine = create_async_engine(shadow.live.engine.url, poolclass=NullPool, hide_parameters=True)
    path = str(shadow.path)

    @event.listens_for(engine.sync_engine, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" below starts it
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"ATTACH DATABASE ? AS {SHADOW}", (path,))
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    try:
        async with engine.begin() as conn:
            positions = in_schema(consumer_positions, "main")
            # A write, even one changing nothing, takes the live file's write lock (waiting
            # for the live follower's page to commit) and no lock on the shadow file.
            await conn.execute(
                update(positions)
                .where(positions.c.name == shadow.consumer)
                .values(updated_at=positions.c.updated_at)
            )
            position = await catch_up(await live_position(conn, shadow.consumer, "main"))
            await _replace_tables(conn, [t.name for t in metadata.sorted_tables])
            await adopt_bookkeeping(
                conn, shadow.consumer, position, version, live="main", shadow=SHADOW
            )
        return position
    finally:
        await engine.dispose()


async def _replace_tables(conn: AsyncConnection, names: list[str]) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for name in reversed(names):
        await conn.exec_driver_sql(f"DROP TABLE IF EXISTS main.{quote(name)}")
    query = text(
        "SELECT type, sql FROM rebuild.sqlite_master "
        "WHERE tbl_name IN :names AND sql IS NOT NULL "
        "ORDER BY type = 'index', rowid"
    ).bindparams(bindparam("names", expanding=True))
    statements = (await conn.execute(query, {"names": names})).all()
    for _type, sql in statements:
        # Unqualified, as the shadow stored it: created in ``main``, the live file.
        await conn.exec_driver_sql(sql)
    for name in names:
        await conn.exec_driver_sql(
            f"INSERT INTO main.{quote(name)} SELECT * FROM {SHADOW}.{quote(name)}"  # noqa: S608
        )
