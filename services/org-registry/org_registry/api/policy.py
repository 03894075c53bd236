"""An organisation's policy packs: assigning one to its subtree, and the rules in force."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from jiceng.api.deps import CommandCaller, CurrentPrincipal, Runtime, visible_org
from jiceng.api.problems import COMMON_ERRORS, error_responses
from org_registry import commands
from org_registry.api import schemas
from org_registry.api.schemas import OrganisationView, PolicyView
from org_registry.api.support import OnDate, Registry, organisation_view

router = APIRouter(tags=["organisations"], responses=error_responses(*COMMON_ERRORS))
ORG = "/organisations/{org_id}"


@router.post(
    f"{ORG}/policy-pack-assignment",
    name="assign_policy_pack",
    summary="Assign a policy pack to the organisation's subtree from a date",
    response_model=OrganisationView,
    responses=error_responses(404, 409, 412),
)
async def assign_policy_pack(
    org_id: UUID,
    body: schemas.AssignPolicyPack,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.AssignPolicyPack(org_id, body.pack_id, body.effective_from)
    org = await registry.assign_policy_pack(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


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
    day = on or runtime.clock()
    policy = await runtime.orgtree.pack_in_force(node, day)
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
