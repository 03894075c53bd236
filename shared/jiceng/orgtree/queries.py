"""Reading the organisation tree copy: nodes, ancestors, subtrees, counts, policy in force."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Row

from jiceng.orgtree import contract
from jiceng.orgtree.projection import org_nodes, org_policy_assignments, subtree_range
from jiceng.policy import Policy, PolicyCatalogue
from jiceng.policy.catalogue import DEFAULT_PACK
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.keyset import after_name_and_id


@dataclass(frozen=True)
class OrgNode:
    id: UUID
    parent_id: UUID | None
    path: str
    depth: int
    name: str
    short_name: str | None
    code: str | None
    region_code: str | None
    org_type: str
    domain: str | None
    student_branch: bool
    status: str
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
            short_name=row.short_name,
            code=row.code,
            region_code=row.region_code,
            org_type=row.org_type,
            domain=row.domain,
            student_branch=bool(row.student_branch),
            status=row.status,
            established_on=row.established_on,
            version=row.version,
        )

    def is_within(self, ancestor_path: str) -> bool:
        return self.path.startswith(ancestor_path)

    @property
    def ancestor_ids(self) -> list[str]:
        """Ids from the root down to the parent."""
        return self.path.strip("/").split("/")[:-1]


def _by_name(query: Any, after: tuple[str, str] | None) -> Any:
    """Order by (name, id), starting after the keyset ``after``."""
    condition = after_name_and_id(org_nodes.c.name, org_nodes.c.id, after)
    if condition is not None:
        query = query.where(condition)
    return query.order_by(org_nodes.c.name, org_nodes.c.id)


def in_subtree(path: str) -> Any:
    low, high = subtree_range(path)
    return and_(org_nodes.c.path >= low, org_nodes.c.path < high)


class OrgTree:
    def __init__(self, db: ReadModelDatabase, catalogue: PolicyCatalogue) -> None:
        self.db = db
        self.catalogue = catalogue

    async def get(self, org_id: UUID) -> OrgNode | None:
        async with self.db.engine.connect() as conn:
            row = (
                await conn.execute(select(org_nodes).where(org_nodes.c.id == str(org_id)))
            ).one_or_none()
        return OrgNode.from_row(row) if row else None

    async def many(self, ids: Sequence[str]) -> list[OrgNode]:
        if not ids:
            return []
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(select(org_nodes).where(org_nodes.c.id.in_(ids)))).all()
        return [OrgNode.from_row(r) for r in rows]

    async def ancestors(self, node: OrgNode) -> list[OrgNode]:
        """From the root down to the parent."""
        by_id = {str(n.id): n for n in await self.many(node.ancestor_ids)}
        return [by_id[i] for i in node.ancestor_ids if i in by_id]

    async def children(
        self, parent_id: UUID, *, after: tuple[str, str] | None, limit: int
    ) -> list[OrgNode]:
        """Children ordered by (name, id), starting after the key ``after``."""
        query = select(org_nodes).where(org_nodes.c.parent_id == str(parent_id))
        query = _by_name(query, after).limit(limit)
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [OrgNode.from_row(r) for r in rows]

    async def subtree(
        self, root: OrgNode, *, after_path: str | None, limit: int, max_depth: int | None = None
    ) -> list[OrgNode]:
        """The subtree in tree order (each node before its descendants), paged by path."""
        query = select(org_nodes).where(in_subtree(root.path))
        if after_path is not None:
            query = query.where(org_nodes.c.path > after_path)
        if max_depth is not None:
            query = query.where(org_nodes.c.depth <= root.depth + max_depth)
        query = query.order_by(org_nodes.c.path).limit(limit)
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [OrgNode.from_row(r) for r in rows]

    async def count_subtree(self, root: OrgNode) -> int:
        query = select(func.count()).select_from(org_nodes).where(in_subtree(root.path))
        async with self.db.engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def counts_by_type_and_domain(self, root: OrgNode) -> list[tuple[str, str | None, int]]:
        query = (
            select(org_nodes.c.org_type, org_nodes.c.domain, func.count())
            .where(in_subtree(root.path), org_nodes.c.status == contract.ACTIVE)
            .group_by(org_nodes.c.org_type, org_nodes.c.domain)
            .order_by(org_nodes.c.org_type, org_nodes.c.domain)
        )
        async with self.db.engine.connect() as conn:
            return [(r[0], r[1], int(r[2])) for r in (await conn.execute(query)).all()]

    async def search(
        self, root: OrgNode, text: str, *, after: tuple[str, str] | None, limit: int
    ) -> list[OrgNode]:
        """Organisations in the subtree whose name, short name or code contains ``text``."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = select(org_nodes).where(
            in_subtree(root.path),
            or_(
                org_nodes.c.name.like(pattern, escape="\\"),
                org_nodes.c.short_name.like(pattern, escape="\\"),
                org_nodes.c.code.like(pattern, escape="\\"),
            ),
        )
        query = _by_name(query, after).limit(limit)
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [OrgNode.from_row(r) for r in rows]

    async def count(self) -> int:
        async with self.db.engine.connect() as conn:
            query = select(func.count()).select_from(org_nodes)
            return int((await conn.execute(query)).scalar_one())

    async def packs_in_force(self, nodes: Sequence[OrgNode], on: date) -> dict[UUID, Policy]:
        """The policy in force for each of ``nodes`` on ``on``, with one query for them all."""
        chains = {node.id: [*node.ancestor_ids, str(node.id)] for node in nodes}
        wanted = {org_id for chain in chains.values() for org_id in chain}
        query = select(org_policy_assignments).where(org_policy_assignments.c.effective_from <= on)
        async with self.db.engine.connect() as conn:
            rows = [r for r in (await conn.execute(query)).all() if r.org_id in wanted]
        assigned: dict[str, list[Any]] = {}
        for row in rows:
            assigned.setdefault(row.org_id, []).append(row)
        policies: dict[UUID, Policy] = {}
        for node_id, chain in chains.items():
            nearest = next(
                (
                    max(assigned[o], key=lambda r: r.effective_from)
                    for o in reversed(chain)
                    if o in assigned
                ),
                None,
            )
            pack = nearest.pack_id if nearest is not None else DEFAULT_PACK
            policies[node_id] = self.catalogue.in_force(pack, on)
        return policies

    async def pack_chooser(self) -> Callable[[OrgNode, date], Policy]:
        """Every assignment read once, then the policy in force for any node on any date
        decided in memory (for a bulk import that meets thousands of dates)."""
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(select(org_policy_assignments))).all()
        assigned: dict[str, list[tuple[date, str]]] = {}
        for row in rows:
            assigned.setdefault(row.org_id, []).append((row.effective_from, row.pack_id))
        for entries in assigned.values():
            entries.sort()
        catalogue = self.catalogue

        def choose(node: OrgNode, on: date) -> Policy:
            for org_id in reversed([*node.ancestor_ids, str(node.id)]):
                started = [pack for since, pack in assigned.get(org_id, ()) if since <= on]
                if started:
                    return catalogue.in_force(started[-1], on)
            return catalogue.in_force(DEFAULT_PACK, on)

        return choose

    async def codes_in_use(self, codes: Sequence[str] | None = None) -> set[str]:
        """Organisation codes already given, anywhere in the tree (all, or those of ``codes``);
        compared without case, as codes are typed."""
        query = select(org_nodes.c.code).where(org_nodes.c.code.is_not(None))
        if codes is not None:  # only those asked about (an establishment checks one)
            query = query.where(func.upper(org_nodes.c.code).in_([c.upper() for c in codes]))
        async with self.db.engine.connect() as conn:
            return {str(c).upper() for c in (await conn.execute(query)).scalars()}

    async def in_subtree_of(self, node: OrgNode | None) -> list[OrgNode]:
        """Every organisation under ``node`` (itself included), or the whole tree for None."""
        query = select(org_nodes)
        if node is not None:
            query = query.where(in_subtree(node.path))
        async with self.db.engine.connect() as conn:
            return [OrgNode.from_row(r) for r in (await conn.execute(query)).all()]

    async def pack_in_force(self, node: OrgNode, on: date) -> Policy:
        """The policy pack of the nearest organisation up the tree assigned one before ``on``."""
        return (await self.packs_in_force([node], on))[node.id]
