"""``/org-registry/v1/organisations``: establish, read, rename, move, merge, dissolve, restore."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import select

from jiceng.api.concurrency import etag
from jiceng.api.deps import CurrentPrincipal, Runtime, Writer, event_meta, visible_org
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.auth.principal import Role
from jiceng.calendar import today
from jiceng.errors import Conflict, Forbidden
from jiceng.membercounts.queries import member_counts
from jiceng.runtime import ServiceRuntime
from org_registry.api.schemas import (
    AssignPolicyPack,
    Dissolve,
    EstablishOrganisation,
    Merge,
    OrganisationView,
    PolicyView,
    Reaffiliate,
    RenameOrganisation,
    Restore,
)
from org_registry.api.support import (
    IfMatch,
    OnDate,
    command,
    expected_version,
    load,
    parent_type,
    policy_for,
    registry,
)
from org_registry.domain.organisation import Organisation

router = APIRouter(tags=["organisations"], responses=error_responses(*COMMON_ERRORS))
ORG = "/organisations/{org_id}"


async def view(runtime: ServiceRuntime, org: Organisation, response: Response) -> OrganisationView:
    response.headers["ETag"] = etag(org.version)
    return OrganisationView.of(org, await parent_type(runtime, org.parent_id))


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
    parent = None
    if body.parent_id is None:
        if not principal.has_any(Role.PLATFORM_ADMIN):
            raise Forbidden("organisation.root_needs_platform_admin")
    else:
        parent = await visible_org(runtime, principal, body.parent_id)
    if body.code and await runtime.orgtree.codes_in_use([body.code]):
        # One organisation per code, platform-wide; where the other one is is not said.
        raise Conflict("organisation.code_taken", code=body.code)
    policy = await policy_for(runtime, parent, body.established_on or today())
    meta = event_meta(request, principal, body.reason)
    org = await command(
        runtime,
        lambda: registry(runtime).establish(
            policy=policy,
            name=body.name,
            org_type=body.org_type,
            domain=body.domain,
            parent_id=body.parent_id,
            established_on=body.established_on,
            meta=meta,
            short_name=body.short_name,
            code=body.code,
            region_code=body.region_code,
            student_branch=body.student_branch,
        ),
    )
    response.headers["Location"] = f"/{runtime.name}/v1/organisations/{org.id}"
    return await view(runtime, org, response)


@router.get(
    ORG,
    name="get_organisation",
    summary="An organisation (ETag = its version)",
    response_model=OrganisationView,
    responses=error_responses(404),
)
async def get_organisation(
    org_id: UUID, response: Response, runtime: Runtime, principal: CurrentPrincipal
) -> OrganisationView:
    await visible_org(runtime, principal, org_id)
    org = await load(lambda: registry(runtime).organisation(org_id))
    return await view(runtime, org, response)


@router.post(
    f"{ORG}/renaming",
    name="rename_organisation",
    summary="Rename (更名)",
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
    expected, meta = expected_version(if_match), event_meta(request, principal, body.reason)
    org = await command(
        runtime,
        lambda: registry(runtime).rename(
            org_id, name=body.name, short_name=body.short_name, expected_version=expected, meta=meta
        ),
    )
    return await view(runtime, org, response)


@router.post(
    f"{ORG}/reaffiliation",
    name="reaffiliate_organisation",
    summary="Move the organisation and its subtree under another parent (理顺隶属关系)",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def reaffiliate_organisation(
    org_id: UUID,
    body: Reaffiliate,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> OrganisationView:
    await visible_org(runtime, principal, org_id)
    parent = await visible_org(runtime, principal, body.parent_id)
    policy = await policy_for(runtime, parent, today())
    expected, meta = expected_version(if_match), event_meta(request, principal, body.reason)
    org = await command(
        runtime,
        lambda: registry(runtime).reaffiliate(
            org_id, parent_id=body.parent_id, policy=policy, expected_version=expected, meta=meta
        ),
    )
    return await view(runtime, org, response)


@router.post(
    f"{ORG}/merger",
    name="merge_organisation",
    summary="Merge into another organisation; children (and members) move (合并)",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def merge_organisation(
    org_id: UUID,
    body: Merge,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> OrganisationView:
    await visible_org(runtime, principal, org_id)
    target = await visible_org(runtime, principal, body.into_id)
    policy = await policy_for(runtime, target, body.merged_on)
    expected, meta = expected_version(if_match), event_meta(request, principal, body.reason)
    org = await command(
        runtime,
        lambda: registry(runtime).merge(
            org_id,
            into_id=body.into_id,
            merged_on=body.merged_on,
            policy=policy,
            expected_version=expected,
            meta=meta,
        ),
    )
    return await view(runtime, org, response)


@router.post(
    f"{ORG}/dissolution",
    name="dissolve_organisation",
    summary="Dissolve (撤销); refused while it has members or children",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def dissolve_organisation(
    org_id: UUID,
    body: Dissolve,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> OrganisationView:
    await visible_org(runtime, principal, org_id)
    members = await members_of(runtime, org_id)
    expected, meta = expected_version(if_match), event_meta(request, principal, body.reason)
    org = await command(
        runtime,
        lambda: registry(runtime).dissolve(
            org_id,
            dissolved_on=body.dissolved_on,
            members=members,
            expected_version=expected,
            meta=meta,
        ),
    )
    return await view(runtime, org, response)


async def members_of(runtime: ServiceRuntime, org_id: UUID) -> int:
    """Members member-lifecycle has counted in the organisation (0 when never counted)."""
    query = select(member_counts).where(member_counts.c.org_id == str(org_id))
    async with runtime.db.engine.connect() as conn:
        row = (await conn.execute(query)).one_or_none()
    return 0 if row is None else row.formal + row.probationary


@router.post(
    f"{ORG}/restoration",
    name="restore_organisation",
    summary="Restore an organisation dissolved by mistake (恢复)",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def restore_organisation(
    org_id: UUID,
    body: Restore,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> OrganisationView:
    await visible_org(runtime, principal, org_id)
    expected, meta = expected_version(if_match), event_meta(request, principal, body.reason)
    org = await command(
        runtime,
        lambda: registry(runtime).restore(
            org_id, restored_on=body.restored_on, expected_version=expected, meta=meta
        ),
    )
    return await view(runtime, org, response)


@router.post(
    f"{ORG}/policy-pack-assignment",
    name="assign_policy_pack",
    summary="Assign a policy pack to the organisation's subtree from a date",
    response_model=OrganisationView,
    responses=error_responses(404, 409),
)
async def assign_policy_pack(
    org_id: UUID,
    body: AssignPolicyPack,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
) -> OrganisationView:
    await visible_org(runtime, principal, org_id)
    pack = runtime.orgtree.catalogue.pack(body.pack_id)
    meta = event_meta(request, principal, body.reason)
    org = await command(
        runtime,
        lambda: registry(runtime).assign_policy_pack(
            org_id, pack=pack, effective_from=body.effective_from, meta=meta
        ),
    )
    return await view(runtime, org, response)


@router.get(
    f"{ORG}/policy",
    name="get_policy_in_force",
    summary="The policy pack in force for the organisation on a date, with its rules",
    response_model=PolicyView,
    responses=error_responses(404),
)
async def get_policy(
    org_id: UUID, runtime: Runtime, principal: CurrentPrincipal, on: OnDate = None
) -> PolicyView:
    node = await visible_org(runtime, principal, org_id)
    day = on or today()
    policy = await policy_for(runtime, node, day)
    rules: dict[str, object] = {}
    for pack in reversed(policy.chain):
        rules.update(pack.rules)
    return PolicyView(
        org_id=org_id,
        on=day,
        pack=policy.ref,
        status=policy.pack.status,
        chain=[p.ref for p in policy.chain],
        rules=rules,
    )
