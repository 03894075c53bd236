"""Reading the organisation tree copy: nodes, subtree membership, children pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.engine import Row

from jiceng.orgtree.projection import org_nodes
from jiceng.readmodel.database import ReadModelDatabase


@dataclass(frozen=True)
class OrgNode:
    id: UUID
    parent_id: UUID | None
    path: str
    depth: int
    name: str
    org_type: str
    domain: str | None
    established_on: date | None
    version: int

    @classmethod
    def from_row(cls, row: Row[Any]) -> OrgNode:
        return cls(
            id=UUID(row.id),
            parent_id=UUID(row.parent_id) if row.parent_id else None,
            path=row.path,
            depth=row.depth,
            name=row.name,
            org_type=row.org_type,
            domain=row.domain,
            established_on=row.established_on,
            version=row.version,
        )

    def is_within(self, ancestor_path: str) -> bool:
        return self.path.startswith(ancestor_path)


class OrgTree:
    def __init__(self, db: ReadModelDatabase) -> None:
        self.db = db

    async def get(self, org_id: UUID) -> OrgNode | None:
        async with self.db.engine.connect() as conn:
            row = (
                await conn.execute(select(org_nodes).where(org_nodes.c.id == str(org_id)))
            ).one_or_none()
        return OrgNode.from_row(row) if row else None

    async def children(
        self, parent_id: UUID, *, after: tuple[str, str] | None, limit: int
    ) -> list[OrgNode]:
        """Children ordered by (name, id), starting after the key ``after``."""
        query = select(org_nodes).where(org_nodes.c.parent_id == str(parent_id))
        if after is not None:
            name, last_id = after
            query = query.where(
                (org_nodes.c.name > name)
                | ((org_nodes.c.name == name) & (org_nodes.c.id > last_id))
            )
        query = query.order_by(org_nodes.c.name, org_nodes.c.id).limit(limit)
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [OrgNode.from_row(r) for r in rows]

    async def count(self) -> int:
        async with self.db.engine.connect() as conn:
            return int(
                (await conn.execute(select(func.count()).select_from(org_nodes))).scalar_one()
            )
