"""A digest of each read-model table, to compare live tables with rebuilt ones."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import canonical_json
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.tables import consumer_positions


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str


async def table_digests(db: ReadModelDatabase, metadata: MetaData) -> dict[str, TableDigest]:
    """Rows and a SHA-256 over the rows in primary-key order, per table of ``metadata``."""
    async with db.engine.connect() as conn:
        return await _digests(conn, metadata)


async def live_snapshot(
    db: ReadModelDatabase, consumer: str, metadata: MetaData
) -> tuple[int, dict[str, TableDigest]]:
    """A consumer's position and its tables' digests, read from one snapshot (the live
    follower may be writing meanwhile)."""
    async with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execution_options(isolation_level="REPEATABLE READ")
        position = (
            await conn.execute(
                select(consumer_positions.c.position).where(consumer_positions.c.name == consumer)
            )
        ).scalar_one_or_none()
        return int(position or 0), await _digests(conn, metadata)


async def _digests(conn: AsyncConnection, metadata: MetaData) -> dict[str, TableDigest]:
    digests: dict[str, TableDigest] = {}
    for table in metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        hasher, rows = hashlib.sha256(), 0
        result = await conn.stream(select(table).order_by(*order))
        async for row in result:
            hasher.update(canonical_json(_normalised(row._asdict())) + b"\n")
            rows += 1
        digests[table.name] = TableDigest(rows, hasher.hexdigest())
    return digests


def _normalised(row: dict[str, object]) -> dict[str, object]:
    # Drivers differ in how they return decimals and timestamps; compare values, not types.
    return {
        k: (str(v) if v is not None and not isinstance(v, (str, int, bool, list, dict)) else v)
        for k, v in row.items()
    }
