"""``/org-registry/v1/venues``: activity venues (阵地), their standards and ratings."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from jiceng.api.concurrency import etag
from jiceng.api.deps import CommandCaller, CurrentPrincipal, Runtime, visible_org
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.orgtree.paging import rows_in_subtree
from org_registry import commands
from org_registry.api.support import Registry
from org_registry.api.unit_schemas import RateVenue, RegisterVenue, UpdateVenue, VenueView
from org_registry.domain.venue import Venue
from org_registry.projections.venues import venues

router = APIRouter(tags=["venues"], responses=error_responses(*COMMON_ERRORS))
VENUE = "/venues/{venue_id}"


def _view(venue: Venue, response: Response) -> VenueView:
    response.headers["ETag"] = etag(venue.version)
    return VenueView.of(venue)


@router.post(
    "/venues",
    name="register_venue",
    status_code=status.HTTP_201_CREATED,
    summary="Register an activity venue (阵地) of an organisation",
    response_model=VenueView,
    responses=error_responses(404),
)
async def register_venue(
    body: RegisterVenue, response: Response, registry: Registry, caller: CommandCaller
) -> VenueView:
    command = commands.RegisterVenue(
        org_id=body.org_id,
        name=body.name,
        area_m2=body.area_m2,
        households_served=body.households_served,
        checklist=body.checklist,
    )
    return _view(await registry.register_venue(command, caller.because(body.reason)), response)


@router.get(
    VENUE,
    name="get_venue",
    summary="A venue",
    response_model=VenueView,
    responses=error_responses(404),
)
async def get_venue(
    venue_id: UUID, response: Response, registry: Registry, principal: CurrentPrincipal
) -> VenueView:
    return _view(await registry.venue(principal, venue_id), response)


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
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> VenueView:
    command = commands.UpdateVenue(
        venue_id, body.area_m2, body.households_served, checklist=body.checklist
    )
    return _view(await registry.update_venue(command, caller.because(body.reason)), response)


@router.post(
    f"{VENUE}/inspection",
    name="rate_venue",
    summary="Rate a venue after inspection (一类/二类/三类); funding pays rewards from it",
    response_model=VenueView,
    responses=error_responses(404, 412),
)
async def rate_venue(
    venue_id: UUID,
    body: RateVenue,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> VenueView:
    command = commands.RateVenue(venue_id, body.grade, body.inspected_on, body.inspector)
    return _view(await registry.rate_venue(command, caller.because(body.reason)), response)


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
