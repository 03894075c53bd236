"""``/member-lifecycle/v1/orgs``: this service's copy of the organisation tree."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from jiceng.api.deps import CurrentPrincipal, Runtime, visible_org
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.orgtree.queries import OrgNode

router = APIRouter(tags=["organisations"], responses=error_responses(*COMMON_ERRORS))


class OrgCopyView(BaseModel):
    """An organisation as member-lifecycle knows it (followed from org-registry's feed)."""

    id: UUID
    name: str
    org_type: str
    domain: str | None
    parent_id: UUID | None
    depth: int
    version: int

    @classmethod
    def of(cls, node: OrgNode) -> OrgCopyView:
        return cls(
            id=node.id,
            name=node.name,
            org_type=node.org_type,
            domain=node.domain,
            parent_id=node.parent_id,
            depth=node.depth,
            version=node.version,
        )


@router.get(
    "/orgs/{org_id}",
    name="get_org_copy",
    summary="An organisation in member-lifecycle's copy of the tree",
    response_model=OrgCopyView,
    responses=error_responses(404),
)
async def get_org(org_id: UUID, runtime: Runtime, principal: CurrentPrincipal) -> OrgCopyView:
    return OrgCopyView.of(await visible_org(runtime, principal, org_id))
