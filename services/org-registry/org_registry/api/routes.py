"""``/org-registry/v1/organisations``: establish, read, rename, list children."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import anyio
from fastapi import APIRouter, Header, Request, Response, status

from jiceng.api.concurrency import etag, parse_if_match
from jiceng.api.deps import CurrentPrincipal, Runtime, Writer, event_meta, visible_org
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, encode_cursor
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.auth.principal import Role
from jiceng.errors import Forbidden
from jiceng.orgtree.views import OrgNodeView
from org_registry.api.schemas import (
    EnumValue,
    EstablishOrganisation,
    OrganisationView,
    RenameOrganisation,
)
from org_registry.application import OrgRegistry
from org_registry.domain.organisation import OrgDomain, OrgType

router = APIRouter(tags=["organisations"], responses=error_responses(*COMMON_ERRORS))
IfMatch = Annotated[
    str | None, Header(description="ETag of the version the change is based on (optional)")
]


def registry(runtime: Runtime) -> OrgRegistry:
    assert isinstance(runtime.log, OrgRegistry)
    return runtime.log


@router.post(
    "/organisations",
    name="establish_organisation",
    summary="Establish an organisation under a parent (成立党组织)",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganisationView,
    responses=error_responses(404, 409),
)
async def establish_organisation(
    body: EstablishOrganisation,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
) -> OrganisationView:
    if body.parent_id is None:
        if not principal.has_any(Role.PLATFORM_ADMIN):
            raise Forbidden("organisation.root_needs_platform_admin")
    else:
        await visible_org(runtime, principal, body.parent_id)
    meta = event_meta(request, principal, body.reason)
    org, position = await anyio.to_thread.run_sync(
        lambda: registry(runtime).establish(
            name=body.name,
            org_type=body.org_type,
            domain=body.domain,
            parent_id=body.parent_id,
            established_on=body.established_on,
            meta=meta,
        )
    )
    await runtime.read_your_writes(position)
    response.headers["Location"] = f"/{runtime.name}/v1/organisations/{org.id}"
    response.headers["ETag"] = etag(org.version)
    return OrganisationView.of(org)


@router.get(
    "/organisations/{org_id}",
    name="get_organisation",
    summary="An organisation (ETag = its version)",
    response_model=OrganisationView,
    responses=error_responses(404),
)
async def get_organisation(
    org_id: UUID, response: Response, runtime: Runtime, principal: CurrentPrincipal
) -> OrganisationView:
    await visible_org(runtime, principal, org_id)
    org = await anyio.to_thread.run_sync(lambda: registry(runtime).organisation(org_id))
    response.headers["ETag"] = etag(org.version)
    return OrganisationView.of(org)


@router.post(
    "/organisations/{org_id}/renaming",
    name="rename_organisation",
    summary="Rename an organisation (更名); If-Match guards against lost updates",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def rename_organisation(
    org_id: UUID,
    body: RenameOrganisation,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> OrganisationView:
    await visible_org(runtime, principal, org_id)
    expected = parse_if_match(if_match)
    meta = event_meta(request, principal, body.reason)
    org, position = await anyio.to_thread.run_sync(
        lambda: registry(runtime).rename(
            org_id, name=body.name, expected_version=expected, meta=meta
        )
    )
    await runtime.read_your_writes(position)
    response.headers["ETag"] = etag(org.version)
    return OrganisationView.of(org)


@router.get(
    "/organisations/{org_id}/children",
    name="list_organisation_children",
    summary="Direct children of an organisation, by name (cursor-paged)",
    response_model=Page[OrgNodeView],
    responses=error_responses(404),
)
async def list_children(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[OrgNodeView]:
    await visible_org(runtime, principal, org_id)
    key = decode_cursor(cursor)
    after = (str(key[0]), str(key[1])) if key and len(key) == 2 else None
    nodes = await runtime.orgtree.children(org_id, after=after, limit=limit + 1)
    items = [OrgNodeView.of(n) for n in nodes[:limit]]
    more = len(nodes) > limit
    next_cursor = encode_cursor([items[-1].name, str(items[-1].id)]) if more else None
    return Page[OrgNodeView](items=items, next_cursor=next_cursor)


@router.get(
    "/meta/enums",
    name="list_enums",
    summary="Stable codes and Chinese labels of org-registry's enumerations",
    response_model=dict[str, list[EnumValue]],
)
async def list_enums(_principal: CurrentPrincipal) -> dict[str, list[EnumValue]]:
    return {
        "org_type": [EnumValue(value=t.value, label=t.label) for t in OrgType],
        "domain": [EnumValue(value=d.value, label=d.label) for d in OrgDomain],
    }
