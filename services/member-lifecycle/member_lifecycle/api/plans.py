"""Annual development plans (年度发展计划) and admissions against them."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from jiceng.api.deps import Runtime, require_roles, visible_org
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.auth.principal import Principal, Role
from jiceng.commands import Caller
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import in_subtree
from member_lifecycle.api.support import Lifecycle, Staff, unversioned_caller
from member_lifecycle.commands.organisations import SetPlan
from member_lifecycle.projections.people import people, plans

router = APIRouter(tags=["development plans"], responses=error_responses(*COMMON_ERRORS))
PLANNERS = (Role.ORG_ADMIN, Role.PLATFORM_ADMIN, Role.SYSTEM)
OrgAdmin = Annotated[Principal, Depends(require_roles(*PLANNERS))]
Planner = Annotated[Caller, Depends(unversioned_caller(*PLANNERS))]


class PlanBody(BaseModel):
    quota: int = Field(ge=0, le=1_000_000, description="Admissions planned for the year")
    reason: str | None = Field(default=None, max_length=500)


class PlanStats(BaseModel):
    org_id: UUID
    year: int
    own_quota: int | None = Field(description="The plan set for this organisation itself")
    quota: int = Field(description="Plans of the whole subtree added up")
    admitted: int = Field(description="接收预备党员 approved in the year in the subtree")
    remaining: int
    percent: float | None


@router.put(
    "/orgs/{org_id}/development-plans/{year}",
    name="set_development_plan",
    summary="Set an organisation's annual development plan (年度发展计划)",
    response_model=PlanStats,
    responses=error_responses(404, 422),
)
async def set_plan(
    org_id: UUID,
    year: Annotated[int, Path(ge=2000, le=2100)],
    body: PlanBody,
    runtime: Runtime,
    caller: Planner,
    handlers: Lifecycle,
) -> PlanStats:
    await handlers.set_plan(SetPlan(org_id, year, body.quota), caller.because(body.reason))
    return await plan_stats(org_id, year, runtime, caller.principal)


@router.get(
    "/orgs/{org_id}/development-plans/{year}",
    name="get_development_plan",
    summary="Admissions this year against the plans of the subtree",
    response_model=PlanStats,
    responses=error_responses(404),
)
async def plan_stats(
    org_id: UUID,
    year: Annotated[int, Path(ge=2000, le=2100)],
    runtime: Runtime,
    principal: Staff,
) -> PlanStats:
    root = await visible_org(runtime, principal, org_id)
    first, last = date(year, 1, 1), date(year, 12, 31)
    async with runtime.db.engine.connect() as conn:
        admitted = (
            await conn.execute(
                select(func.count())
                .select_from(people.join(org_nodes, org_nodes.c.id == people.c.branch_id))
                .where(in_subtree(root.path), people.c.admitted_on.between(first, last))
            )
        ).scalar_one()
        quota = (
            await conn.execute(
                select(func.coalesce(func.sum(plans.c.quota), 0))
                .select_from(plans.join(org_nodes, org_nodes.c.id == plans.c.org_id))
                .where(in_subtree(root.path), plans.c.year == year)
            )
        ).scalar_one()
        own = (
            await conn.execute(
                select(plans.c.quota).where(plans.c.org_id == str(org_id), plans.c.year == year)
            )
        ).scalar_one_or_none()
    return PlanStats(
        org_id=org_id,
        year=year,
        own_quota=own,
        quota=int(quota),
        admitted=int(admitted),
        remaining=max(0, int(quota) - int(admitted)),
        percent=round(100 * admitted / quota, 1) if quota else None,
    )
