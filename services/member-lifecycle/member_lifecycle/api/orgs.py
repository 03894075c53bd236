"""``/member-lifecycle/v1/orgs``: this service's copy of the organisation tree."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from jiceng.api.deps import CurrentPrincipal, Runtime, visible_org
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.orgtree.views import OrgNodeView

router = APIRouter(tags=["organisations"], responses=error_responses(*COMMON_ERRORS))


@router.get(
    "/orgs/{org_id}",
    name="get_org_copy",
    summary="An organisation in member-lifecycle's copy of the tree",
    response_model=OrgNodeView,
    responses=error_responses(404),
)
async def get_org(org_id: UUID, runtime: Runtime, principal: CurrentPrincipal) -> OrgNodeView:
    return OrgNodeView.of(await visible_org(runtime, principal, org_id))
