"""``/org-registry/v1/venues``: activity venues (阵地), their standards and ratings."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from jiceng.api.concurrency import etag
from jiceng.api.deps import (
    CurrentPrincipal,
    Runtime,
    Writer,
    event_meta,
    visible_org,
    visible_owner,
)
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.orgtree.paging import rows_in_subtree
from jiceng.runtime import ServiceRuntime
from org_registry.api.support import (
    IfMatch,
    command,
    expected_version,
    load,
    policy_for,
    registry,
)
from org_registry.api.unit_schemas import RateVenue, RegisterVenue, UpdateVenue, VenueView
from org_registry.domain.venue import Venue
from org_registry.projections.venues import venues

router = APIRouter(tags=["venues"], responses=error_responses(*COMMON_ERRORS))
VENUE = "/venues/{venue_id}"


async def _visible_venue(
    runtime: ServiceRuntime, principal: CurrentPrincipal, venue_id: UUID
) -> Venue:
    venue = await load(lambda: registry(runtime).venue(venue_id))
    await visible_owner(runtime, principal, venue.org_id, "venue", venue_id)
    return venue


@router.post(
    "/venues",
    name="register_venue",
    status_code=status.HTTP_201_CREATED,
    summary="Register an activity venue (阵地) of an organisation",
    response_model=VenueView,
    responses=error_responses(404),
)
async def register_venue(
    body: RegisterVenue,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
) -> VenueView:
    await visible_org(runtime, principal, body.org_id)
    meta = event_meta(request, principal, body.reason)
    venue = await command(
        runtime,
        lambda: registry(runtime).register_venue(
            org_id=body.org_id,
            name=body.name,
            area_m2=body.area_m2,
            households_served=body.households_served,
            checklist=body.checklist,
            meta=meta,
        ),
    )
    response.headers["ETag"] = etag(venue.version)
    return VenueView.of(venue)


@router.get(
    VENUE,
    name="get_venue",
    summary="A venue",
    response_model=VenueView,
    responses=error_responses(404),
)
async def get_venue(
    venue_id: UUID, response: Response, runtime: Runtime, principal: CurrentPrincipal
) -> VenueView:
    venue = await _visible_venue(runtime, principal, venue_id)
    response.headers["ETag"] = etag(venue.version)
    return VenueView.of(venue)


@router.post(
    f"{VENUE}/update",
    name="update_venue",
    summary="Correct a venue's area, households served and 六有 checklist",
    response_model=VenueView,
    responses=error_responses(404, 412),
)
async def update_venue(
    venue_id: UUID,
    body: UpdateVenue,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> VenueView:
    await _visible_venue(runtime, principal, venue_id)
    expected, meta = expected_version(if_match), event_meta(request, principal, body.reason)
    venue = await command(
        runtime,
        lambda: registry(runtime).update_venue(
            venue_id,
            area_m2=body.area_m2,
            households_served=body.households_served,
            checklist=body.checklist,
            expected_version=expected,
            meta=meta,
        ),
    )
    response.headers["ETag"] = etag(venue.version)
    return VenueView.of(venue)


@router.post(
    f"{VENUE}/inspection",
    name="rate_venue",
    summary="Rate a venue after inspection (一类/二类/三类); funding pays rewards from it",
    response_model=VenueView,
    responses=error_responses(404),
)
async def rate_venue(
    venue_id: UUID,
    body: RateVenue,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
) -> VenueView:
    venue = await _visible_venue(runtime, principal, venue_id)
    node = await visible_owner(runtime, principal, venue.org_id, "venue", venue_id)
    policy = await policy_for(runtime, node, body.inspected_on)
    meta = event_meta(request, principal, body.reason)
    venue = await command(
        runtime,
        lambda: registry(runtime).rate_venue(
            venue_id,
            grade=body.grade,
            inspected_on=body.inspected_on,
            inspector=body.inspector,
            policy=policy,
            meta=meta,
        ),
    )
    response.headers["ETag"] = etag(venue.version)
    return VenueView.of(venue)


@router.get(
    "/organisations/{org_id}/venues",
    name="list_venues",
    summary="Venues of the organisations in the subtree, by name (cursor-paged)",
    response_model=Page[VenueView],
    responses=error_responses(404),
)
async def list_venues(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[VenueView]:
    root = await visible_org(runtime, principal, org_id)
    rows = await rows_in_subtree(
        runtime.db,
        venues,
        venues.c.org_id,
        root,
        after=decode_cursor(cursor, (str, str)),
        limit=limit,
    )
    views = [VenueView.model_validate(r._asdict()) for r in rows]
    return keyset_page(views, limit, lambda v: [v.name, str(v.id)])
