"""``/org-registry/v1/organisations``: establish, read, rename, move, merge, dissolve, restore.

Each command route parses the body, builds the command, calls its handler and shapes the
answer; the rules and the scope checks live below (:mod:`org_registry.commands`).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from jiceng.api.deps import CommandCaller, CurrentPrincipal
from jiceng.api.problems import COMMON_ERRORS, error_responses
from org_registry import commands
from org_registry.api import schemas
from org_registry.api.schemas import OrganisationView
from org_registry.api.support import Registry, organisation_view

router = APIRouter(tags=["organisations"], responses=error_responses(*COMMON_ERRORS))
ORG = "/organisations/{org_id}"


@router.post(
    "/organisations",
    name="establish_organisation",
    summary="Establish an organisation under a parent (成立党组织)",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganisationView,
    responses=error_responses(404, 409),
)
async def establish_organisation(
    body: schemas.EstablishOrganisation,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.EstablishOrganisation(
        name=body.name,
        org_type=body.org_type,
        domain=body.domain,
        parent_id=body.parent_id,
        established_on=body.established_on,
        short_name=body.short_name,
        code=body.code,
        region_code=body.region_code,
        student_branch=body.student_branch,
    )
    org = await registry.establish_organisation(command, caller.because(body.reason))
    response.headers["Location"] = f"/{registry.runtime.name}/v1/organisations/{org.id}"
    return await organisation_view(registry, org, response)


@router.get(
    ORG,
    name="get_organisation",
    summary="An organisation (ETag = its version)",
    response_model=OrganisationView,
    responses=error_responses(404),
)
async def get_organisation(
    org_id: UUID, response: Response, registry: Registry, principal: CurrentPrincipal
) -> OrganisationView:
    org = await registry.organisation(principal, org_id)
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/renaming",
    name="rename_organisation",
    summary="Rename (更名)",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def rename_organisation(
    org_id: UUID,
    body: schemas.RenameOrganisation,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.RenameOrganisation(org_id, body.name, body.short_name)
    org = await registry.rename_organisation(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/reaffiliation",
    name="reaffiliate_organisation",
    summary="Move the organisation and its subtree under another parent (理顺隶属关系)",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def reaffiliate_organisation(
    org_id: UUID,
    body: schemas.Reaffiliate,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.ReaffiliateOrganisation(org_id, body.parent_id)
    org = await registry.reaffiliate_organisation(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/merger",
    name="merge_organisation",
    summary="Merge into another organisation; children (and members) move (合并)",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def merge_organisation(
    org_id: UUID,
    body: schemas.Merge,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.MergeOrganisation(org_id, body.into_id, body.merged_on)
    org = await registry.merge_organisation(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/dissolution",
    name="dissolve_organisation",
    summary="Dissolve (撤销); refused while it has members or children",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def dissolve_organisation(
    org_id: UUID,
    body: schemas.Dissolve,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.DissolveOrganisation(org_id, body.dissolved_on)
    org = await registry.dissolve_organisation(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/restoration",
    name="restore_organisation",
    summary="Restore an organisation dissolved by mistake (恢复)",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def restore_organisation(
    org_id: UUID,
    body: schemas.Restore,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.RestoreOrganisation(org_id, body.restored_on)
    org = await registry.restore_organisation(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)
