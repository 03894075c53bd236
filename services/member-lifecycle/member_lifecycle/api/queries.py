"""Queries over a subtree: the pipeline (stages and steps by domain) and rosters."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from jiceng.api.deps import Runtime, visible_org
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import in_subtree
from jiceng.personal import sealer_for
from member_lifecycle.api.ages import age, age_bounds, birth_date, people_page
from member_lifecycle.api.support import Staff
from member_lifecycle.domain.evidence import add_months
from member_lifecycle.domain.stages import Stage, Step
from member_lifecycle.projections.people import people

router = APIRouter(tags=["queries"], responses=error_responses(*COMMON_ERRORS))


class Bucket(BaseModel):
    key: str | None
    label: str | None
    count: int


class Pipeline(BaseModel):
    org_id: UUID
    by_stage: list[Bucket]
    by_step: list[Bucket] = Field(description="People still on the path, by their last step")
    by_domain: dict[str, list[Bucket]] = Field(description="By stage, per 领域 of the branch")


def _label(enum: Any, key: str | None) -> str | None:
    try:
        return str(enum.of(key).label) if key else None
    except ValueError:
        return None


@router.get(
    "/orgs/{org_id}/pipeline",
    name="get_pipeline",
    summary="How many people are at each stage and step in the subtree, by domain",
    response_model=Pipeline,
    responses=error_responses(404),
)
async def get_pipeline(org_id: UUID, runtime: Runtime, principal: Staff) -> Pipeline:
    root = await visible_org(runtime, principal, org_id)
    base = select().select_from(people.join(org_nodes, org_nodes.c.id == people.c.branch_id))
    base = base.where(in_subtree(root.path))
    on_path = people.c.stage.in_(["applicant", "activist", "candidate", "probationary"])
    async with runtime.db.engine.connect() as conn:
        stages = (
            await conn.execute(
                base.add_columns(people.c.stage, func.count()).group_by(people.c.stage)
            )
        ).all()
        steps = (
            await conn.execute(
                base.where(on_path)
                .add_columns(people.c.last_step, func.count())
                .group_by(people.c.last_step)
            )
        ).all()
        domains = (
            await conn.execute(
                base.add_columns(org_nodes.c.domain, people.c.stage, func.count()).group_by(
                    org_nodes.c.domain, people.c.stage
                )
            )
        ).all()
    by_domain: dict[str, list[Bucket]] = {}
    for domain, stage, count in domains:
        by_domain.setdefault(domain or "unknown", []).append(
            Bucket(key=stage, label=_label(Stage, stage), count=count)
        )
    return Pipeline(
        org_id=org_id,
        by_stage=[Bucket(key=s, label=_label(Stage, s), count=c) for s, c in stages],
        by_step=[Bucket(key=s, label=_label(Step, s), count=c) for s, c in steps],
        by_domain=by_domain,
    )


class RosterEntry(BaseModel):
    id: UUID
    name: str
    gender: str
    age: int = Field(description="Full years today (Beijing); the birth date is never listed")
    education: str | None
    branch_id: UUID
    stage: Stage
    last_step: str | None
    formal_since: date | None
    probation_ends_on: date | None
    standing: str
    transfer_to: UUID | None
    outflow_destination: str | None


@router.get(
    "/orgs/{org_id}/roster",
    name="get_roster",
    summary="People in the subtree, filtered by stage, 党龄, age and education (masked, paged)",
    response_model=Page[RosterEntry],
    responses=error_responses(404),
)
async def get_roster(
    org_id: UUID,
    runtime: Runtime,
    principal: Staff,
    stage: Annotated[list[Stage] | None, Query()] = None,
    education: Annotated[str | None, Query(max_length=50)] = None,
    min_age: Annotated[int | None, Query(ge=0, le=150)] = None,
    max_age: Annotated[int | None, Query(ge=0, le=150)] = None,
    min_party_years: Annotated[
        int | None, Query(ge=0, le=100, description="党龄, from 转正")
    ] = None,
    max_party_years: Annotated[int | None, Query(ge=0, le=100)] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[RosterEntry]:
    root = await visible_org(runtime, principal, org_id)
    on = runtime.clock()
    where: list[Any] = []
    if stage:
        where.append(people.c.stage.in_([s.value for s in stage]))
    if education:
        where.append(people.c.education == education)
    by_month, exact_age = age_bounds(on, min_age, max_age)
    where += by_month
    sealer = sealer_for(runtime.settings)
    if min_party_years is not None:
        where.append(people.c.formal_since <= add_months(on, -12 * min_party_years))
    if max_party_years is not None:
        where.append(people.c.formal_since > add_months(on, -12 * (max_party_years + 1)))
    rows = await people_page(
        runtime.db,
        root,
        after=decode_cursor(cursor, (str, str)),
        limit=limit,
        where=tuple(where),
        keep=(lambda r: exact_age(birth_date(sealer, r))) if exact_age else None,
    )
    entries = [
        RosterEntry(
            id=r.id,
            name=r.name,
            gender=r.gender,
            age=age(sealer, r, on),
            education=r.education,
            branch_id=r.branch_id,
            stage=Stage.of(r.stage),
            last_step=r.last_step,
            formal_since=r.formal_since,
            probation_ends_on=r.probation_ends_on,
            standing=r.standing,
            transfer_to=r.transfer_to,
            outflow_destination=r.outflow_destination,
        )
        for r in rows
    ]
    return keyset_page(entries, limit, lambda e: [e.name, str(e.id)])
