"""Rows of a read-model table that belong to organisations in a subtree, a page at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.engine import Row

from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import OrgNode, in_subtree
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.keyset import after_name_and_id


async def rows_in_subtree(
    db: ReadModelDatabase,
    table: Table,
    org_column: Column[Any],
    root: OrgNode,
    *,
    after: list[Any] | None,
    limit: int,
    where: tuple[Any, ...] = (),
) -> list[Row[Any]]:
    """Up to ``limit + 1`` rows ordered by (name, id) after the keyset ``after``.

    The extra row tells the caller whether another page follows.
    """
    query = (
        select(table)
        .join(org_nodes, org_nodes.c.id == org_column)
        .where(in_subtree(root.path), *where)
        .order_by(table.c.name, table.c.id)
        .limit(limit + 1)
    )
    condition = after_name_and_id(table.c.name, table.c.id, after)
    if condition is not None:
        query = query.where(condition)
    async with db.engine.connect() as conn:
        return list((await conn.execute(query)).all())
