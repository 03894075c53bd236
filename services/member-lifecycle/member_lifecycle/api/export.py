"""Downloads of the roster, the pipeline and the to-do list of a subtree (xlsx or CSV).

Each download calls the JSON endpoint's own function, page after page, so a file holds what the
JSON holds for the same caller: the same roles, the same scope (the same 404), the same masks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import APIRouter, Query, Response

from jiceng.api.deps import Runtime, above_scope, in_scope, visible_org
from jiceng.api.downloads import FILE_RESPONSE, FormatParam, report_file
from jiceng.api.pagination import MAX_LIMIT, Page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from jiceng.auth.principal import Principal
from jiceng.runtime import ServiceRuntime
from jiceng.sheets.writing import SheetFormat
from member_lifecycle.api.export_sheets import pipeline_sheet, roster_sheet, to_do_sheet
from member_lifecycle.api.people import PersonView, list_people
from member_lifecycle.api.queries import RosterEntry, get_pipeline, get_roster
from member_lifecycle.api.support import Staff
from member_lifecycle.api.to_do import ToDo, get_to_do

router = APIRouter(tags=["exports"], responses=error_responses(*COMMON_ERRORS))
T = TypeVar("T")


async def every_page(fetch: Callable[[str | None], Awaitable[Page[T]]]) -> list[T]:
    """All items of a cursor-paged list, page after page."""
    items: list[T] = []
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        items += page.items
        if page.next_cursor is None:
            return items
        cursor = page.next_cursor


async def visible_names(
    runtime: ServiceRuntime, principal: Principal, ids: Iterable[UUID | None]
) -> dict[UUID, str]:
    """Names of the organisations among ``ids`` the caller may name (in or above its scope)."""
    wanted = sorted({str(i) for i in ids if i is not None})
    names: dict[UUID, str] = {}
    for start in range(0, len(wanted), MAX_LIMIT):
        for node in await runtime.orgtree.many(wanted[start : start + MAX_LIMIT]):
            if await in_scope(runtime, principal, node) or await above_scope(
                runtime, principal, node
            ):
                names[node.id] = node.name
    return names


@router.get(
    "/orgs/{org_id}/roster/export",
    name="export_roster",
    summary="The roster of the subtree as an xlsx or CSV file (all people, masked as in the list)",
    response_class=Response,
    responses=FILE_RESPONSE,
)
async def export_roster(
    org_id: UUID,
    runtime: Runtime,
    principal: Staff,
    file_format: FormatParam = SheetFormat.XLSX,
) -> Response:
    root = await visible_org(runtime, principal, org_id)

    async def roster(cursor: str | None) -> Page[RosterEntry]:
        return await get_roster(org_id, runtime, principal, cursor=cursor, limit=MAX_LIMIT)

    async def people(cursor: str | None) -> Page[PersonView]:
        return await list_people(org_id, runtime, principal, cursor=cursor, limit=MAX_LIMIT)

    entries = await every_page(roster)
    views = {p.id: p for p in await every_page(people)}
    names = await visible_names(
        runtime, principal, [e.branch_id for e in entries] + [e.transfer_to for e in entries]
    )
    return report_file(
        roster_sheet(entries, views, names), file_format, root.name, "roster", runtime.clock()
    )


@router.get(
    "/orgs/{org_id}/pipeline/export",
    name="export_pipeline",
    summary="The pipeline of the subtree (by stage, step and domain) as an xlsx or CSV file",
    response_class=Response,
    responses=FILE_RESPONSE,
)
async def export_pipeline(
    org_id: UUID,
    runtime: Runtime,
    principal: Staff,
    file_format: FormatParam = SheetFormat.XLSX,
) -> Response:
    root = await visible_org(runtime, principal, org_id)
    pipeline = await get_pipeline(org_id, runtime, principal)
    return report_file(
        pipeline_sheet(pipeline), file_format, root.name, "pipeline", runtime.clock()
    )


@router.get(
    "/orgs/{org_id}/to-do/export",
    name="export_to_do",
    summary="What is due and overdue in the subtree as an xlsx or CSV file",
    response_class=Response,
    responses=FILE_RESPONSE,
)
async def export_to_do(
    org_id: UUID,
    runtime: Runtime,
    principal: Staff,
    file_format: FormatParam = SheetFormat.XLSX,
    as_of: Annotated[Day | None, Query(description="Default: today (Beijing)")] = None,
    within_days: Annotated[int, Query(ge=0, le=366, description="Due within this many days")] = 30,
    overdue_only: bool = False,
) -> Response:
    root = await visible_org(runtime, principal, org_id)

    async def to_do(cursor: str | None) -> Page[ToDo]:
        return await get_to_do(
            org_id,
            runtime,
            principal,
            as_of=as_of,
            within_days=within_days,
            overdue_only=overdue_only,
            cursor=cursor,
            limit=MAX_LIMIT,
        )

    items = await every_page(to_do)
    names = await visible_names(runtime, principal, [t.branch_id for t in items])
    return report_file(
        to_do_sheet(items, names), file_format, root.name, "to-do", as_of or runtime.clock()
    )
