"""A digest of each read-model table, to compare live tables with rebuilt ones."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import MetaData, select

from jiceng.eventlog.records import canonical_json
from jiceng.readmodel.database import ReadModelDatabase


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str


async def table_digests(db: ReadModelDatabase, metadata: MetaData) -> dict[str, TableDigest]:
    """Rows and a SHA-256 over the rows in primary-key order, per table of ``metadata``."""
    digests: dict[str, TableDigest] = {}
    async with db.engine.connect() as conn:
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
