"""Random sequences of tree commands: the org-tree read model always equals the aggregates.

Establish, reaffiliate, merge, dissolve and restore in any order the rules allow; then fold
the whole log into a fresh read model and check every node's parent, path, depth and status
against the aggregates, and that no parent chain loops.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jiceng.errors import JicengError
from jiceng.eventlog import EventMeta, Storage
from jiceng.eventlog.records import read_page
from jiceng.orgtree.projection import OrgTreeProjection, org_nodes
from jiceng.policy import default_catalogue
from jiceng.readmodel.database import ReadModelDatabase
from org_registry.application import OrgRegistry
from org_registry.domain.organisation import Organisation
from org_registry.domain.types import OrgDomain, OrgStatus, OrgType

POLICY = default_catalogue().policy("national")
META = EventMeta(actor="jwt:property")
DAY = date(2026, 1, 1)

operation = st.tuples(
    st.sampled_from(["establish", "establish", "reaffiliate", "merge", "dissolve", "restore"]),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
)


def apply(registry: OrgRegistry, ids: list[UUID], op: tuple[str, int, int]) -> None:
    """One command on the aggregates as the handlers run it: load, the aggregate's own
    command method, save everything it touched."""
    kind, a, b = op
    orgs = [registry.organisation(i) for i in ids]
    active = [o for o in orgs if o.status is OrgStatus.ACTIVE]
    try:
        if kind == "establish" or not active:
            parent = None if not active or a % 5 == 0 else active[b % len(active)]
            allowed = (
                ["committee"]
                if parent is None
                else POLICY.value("org.allowed_children")[parent.org_type.value]
            )
            if not allowed:
                return
            org = Organisation.establish(
                policy=POLICY,
                name=f"组织{len(ids)}",
                org_type=OrgType(allowed[a % len(allowed)]),
                domain=OrgDomain.OTHER,
                parent=parent,
                established_on=None,
            )
            registry.save(org, parent, meta=META)
            ids.append(org.id)
        elif kind == "reaffiliate":
            org, new_parent = active[a % len(active)], orgs[b % len(orgs)]
            old_parent = registry.parent_of(org)
            ancestors = registry.ancestor_ids(new_parent)
            org.reaffiliate(POLICY, new_parent, old_parent, ancestors)
            registry.save(org, old_parent, new_parent, meta=META)
        elif kind == "merge":
            source = active[a % len(active)]
            alike = [o for o in active if o.org_type is source.org_type and o.id != source.id]
            if alike:
                target = alike[b % len(alike)]
                children = [registry.organisation(c) for c in sorted(source.children)]
                parent = registry.parent_of(source)
                ancestors = registry.ancestor_ids(target)
                source.merge_into(POLICY, target, ancestors, children, parent, DAY)
                registry.save(source, target, parent, *children, meta=META)
        elif kind == "dissolve":
            org = orgs[a % len(orgs)]
            parent = registry.parent_of(org)
            org.dissolve(DAY, 0, parent)
            registry.save(org, parent, meta=META)
        else:
            org = orgs[a % len(orgs)]
            parent = registry.parent_of(org)
            org.restore(DAY, parent)
            registry.save(org, parent, meta=META)
    except JicengError:
        pass  # refused by a rule: nothing must have been recorded


async def fold(registry: OrgRegistry) -> dict[str, Any]:
    """Every event of the log folded into a fresh read model (its own throw-away file)."""
    db = ReadModelDatabase(Storage.memory("org-registry"), [OrgTreeProjection.metadata])
    await db.create_all()
    projection = OrgTreeProjection()
    try:
        async with db.engine.begin() as conn:
            for event in read_page(registry, after=0, limit=100_000).events:
                await projection.handle(conn, event)
        async with db.engine.connect() as conn:
            return {row.id: row for row in (await conn.execute(select(org_nodes))).all()}
    finally:
        await db.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=40))
def test_the_tree_read_model_always_equals_the_aggregates(
    operations: list[tuple[str, int, int]],
) -> None:
    registry = OrgRegistry(Storage.memory("org-registry"))
    ids: list[UUID] = []
    for op in operations:
        apply(registry, ids, op)
    nodes: dict[str, Any] = asyncio.run(fold(registry))
    aggregates = {org_id: registry.organisation(org_id) for org_id in ids}
    assert set(nodes) == {str(i) for i in ids}
    for org_id, org in aggregates.items():
        chain, current = [org_id], org
        while current.parent_id is not None:
            assert current.parent_id not in chain, "a parent chain loops"
            chain.append(current.parent_id)
            current = aggregates[current.parent_id]
        node = nodes[str(org_id)]
        assert node.parent_id == (str(org.parent_id) if org.parent_id else None)
        assert node.path == "/" + "/".join(str(i) for i in reversed(chain)) + "/"
        assert node.depth == len(chain) - 1
        assert node.status == org.status.value
        if org.status is OrgStatus.ACTIVE and org.parent_id is not None:
            assert org_id in aggregates[org.parent_id].children
        for child in org.children:
            assert aggregates[child].parent_id == org_id
            assert aggregates[child].status is OrgStatus.ACTIVE
