"""What org-registry's routes share: the handlers, the as-of date, shaping an organisation."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, Response

from jiceng.api.concurrency import etag
from jiceng.api.deps import handlers
from jiceng.api.types import Day
from jiceng.orgtree.queries import OrgTree
from org_registry.api.schemas import OrganisationView
from org_registry.commands import OrgRegistryHandlers
from org_registry.domain.organisation import Organisation
from org_registry.domain.types import OrgType

#: The service's command handlers, as its composition root built them.
Registry = Annotated[OrgRegistryHandlers, Depends(handlers(OrgRegistryHandlers))]
OnDate = Annotated[Day | None, Query(description="As of this date (default: today, Beijing)")]


async def parent_type(orgtree: OrgTree, parent_id: UUID | None) -> OrgType | None:
    if parent_id is None:
        return None
    node = await orgtree.get(parent_id)
    return OrgType.of(node.org_type) if node else None


async def organisation_view(
    registry: OrgRegistryHandlers, org: Organisation, response: Response
) -> OrganisationView:
    """The organisation as the API shows it, its version as the ETag."""
    response.headers["ETag"] = etag(org.version)
    return OrganisationView.of(org, await parent_type(registry.orgtree, org.parent_id))
