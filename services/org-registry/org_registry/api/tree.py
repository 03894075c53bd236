"""Queries over the tree: ancestors, children, subtree, search, counts and structural alerts."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from jiceng.api.deps import CurrentPrincipal, Runtime, visible_org
from jiceng.api.language import prefers_english
from jiceng.api.pagination import (
    CursorParam,
    LimitParam,
    Page,
    decode_cursor,
    encode_cursor,
    keyset_page,
)
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.membercounts.queries import member_counts
from jiceng.orgtree import contract
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import OrgNode, in_subtree
from jiceng.orgtree.views import OrgNodeView
from org_registry.api.schemas import AlertView, CountRow, SubtreeCounts
from org_registry.api.support import OnDate
from org_registry.domain.alerts import OrgFacts, structural_alerts
from org_registry.domain.types import OrgType
from org_registry.projections.terms import terms

router = APIRouter(tags=["tree"], responses=error_responses(*COMMON_ERRORS))
ORG = "/organisations/{org_id}"


def _name_key(cursor: str | None) -> tuple[str, str] | None:
    key = decode_cursor(cursor, (str, str))
    return (key[0], key[1]) if key else None


def _name_page(nodes: list[OrgNode], limit: int) -> Page[OrgNodeView]:
    views = [OrgNodeView.of(n) for n in nodes]
    return keyset_page(views, limit, lambda v: [v.name, str(v.id)])


@router.get(
    f"{ORG}/ancestors",
    name="list_organisation_ancestors",
    summary="Ancestors from the root down to the parent",
    response_model=list[OrgNodeView],
    responses=error_responses(404),
)
async def ancestors(
    org_id: UUID, runtime: Runtime, principal: CurrentPrincipal
) -> list[OrgNodeView]:
    node = await visible_org(runtime, principal, org_id)
    return [OrgNodeView.of(n) for n in await runtime.orgtree.ancestors(node)]


@router.get(
    f"{ORG}/children",
    name="list_organisation_children",
    summary="Direct children of an organisation, by name (cursor-paged)",
    response_model=Page[OrgNodeView],
    responses=error_responses(404),
)
async def children(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[OrgNodeView]:
    await visible_org(runtime, principal, org_id)
    nodes = await runtime.orgtree.children(org_id, after=_name_key(cursor), limit=limit + 1)
    return _name_page(nodes, limit)


@router.get(
    f"{ORG}/subtree",
    name="list_organisation_subtree",
    summary="The whole subtree in tree order (each before its descendants), paged",
    response_model=Page[OrgNodeView],
    responses=error_responses(404),
)
async def subtree(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    max_depth: Annotated[
        int | None, Query(ge=0, le=100, description="Levels below the root")
    ] = None,
) -> Page[OrgNodeView]:
    root = await visible_org(runtime, principal, org_id)
    key = decode_cursor(cursor, (str,))
    nodes = await runtime.orgtree.subtree(
        root, after_path=key[0] if key else None, limit=limit + 1, max_depth=max_depth
    )
    items = [OrgNodeView.of(n) for n in nodes[:limit]]
    next_cursor = encode_cursor([nodes[limit - 1].path]) if len(nodes) > limit else None
    return Page[OrgNodeView](items=items, next_cursor=next_cursor)


@router.get(
    f"{ORG}/search",
    name="search_organisations",
    summary="Organisations in the subtree whose name, short name or code contains q",
    response_model=Page[OrgNodeView],
    responses=error_responses(404),
)
async def search(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(min_length=1, max_length=100)],
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[OrgNodeView]:
    root = await visible_org(runtime, principal, org_id)
    nodes = await runtime.orgtree.search(root, q, after=_name_key(cursor), limit=limit + 1)
    return _name_page(nodes, limit)


@router.get(
    f"{ORG}/counts",
    name="count_organisations",
    summary="Active organisations in the subtree by type and domain",
    response_model=SubtreeCounts,
    responses=error_responses(404),
)
async def counts(org_id: UUID, runtime: Runtime, principal: CurrentPrincipal) -> SubtreeCounts:
    root = await visible_org(runtime, principal, org_id)
    rows = await runtime.orgtree.counts_by_type_and_domain(root)
    return SubtreeCounts(
        total=sum(r[2] for r in rows),
        by_type_and_domain=[CountRow(org_type=t, domain=d, count=c) for t, d, c in rows],
    )


@router.get(
    f"{ORG}/alerts",
    name="list_structural_alerts",
    summary="Structural alerts in the subtree, each naming its rule and pack",
    response_model=list[AlertView],
    responses=error_responses(404),
)
async def alerts(
    org_id: UUID,
    request: Request,
    runtime: Runtime,
    principal: CurrentPrincipal,
    on: OnDate = None,
) -> list[AlertView]:
    root = await visible_org(runtime, principal, org_id)
    day = on or runtime.clock()
    query = (
        select(
            org_nodes, member_counts.c.formal, member_counts.c.probationary, terms.c.has_committee
        )
        .outerjoin(member_counts, member_counts.c.org_id == org_nodes.c.id)
        .outerjoin(terms, terms.c.org_id == org_nodes.c.id)
        .where(in_subtree(root.path), org_nodes.c.status == contract.ACTIVE)
    )
    async with runtime.db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    facts = [
        OrgFacts(
            id=r.id,
            name=r.name,
            path=r.path,
            org_type=OrgType.of(r.org_type),
            domain=r.domain,
            student_branch=bool(r.student_branch),
            has_committee=bool(r.has_committee),
            formal=r.formal,
            probationary=r.probationary,
        )
        for r in rows
    ]
    nodes = [OrgNode.from_row(r) for r in rows]
    policies = await runtime.orgtree.packs_in_force(nodes, day)
    english = prefers_english(request.headers.get("accept-language"))
    return [
        AlertView(
            org_id=UUID(a.org_id),
            org_name=a.org_name,
            code=a.code,
            message=runtime.messages.render(a.code, a.numbers, english=english)[1],
            rule=a.rule,
            pack=a.pack,
            numbers=a.numbers,
        )
        for a in structural_alerts(facts, lambda fact: policies[UUID(fact.id)])
    ]
