"""Insert-or-update that works on both PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection


async def upsert(conn: AsyncConnection, table: Table, values: dict[str, Any]) -> None:
    insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
    keys = [c.name for c in table.primary_key.columns]
    await conn.execute(
        insert.values(**values).on_conflict_do_update(
            index_elements=keys, set_={k: v for k, v in values.items() if k not in keys}
        )
    )


async def touch(
    conn: AsyncConnection, table: Table, row_id: str, version: int, **changes: Any
) -> None:
    """Record an event on a row: its new stream version and whatever it changed."""
    await conn.execute(update(table).where(table.c.id == row_id).values(version=version, **changes))
