"""Queries over a subtree: the pipeline, rosters, the to-do list, development plans."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import and_, func, or_, select

from jiceng.api.deps import Runtime, event_meta, require_roles, visible_org
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.auth.principal import Principal, Role
from jiceng.orgtree.paging import rows_in_subtree
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import in_subtree
from member_lifecycle.api.support import Staff, lifecycle, today
from member_lifecycle.domain.evidence import add_months
from member_lifecycle.domain.stages import DeadlineKind, Stage, Step
from member_lifecycle.projections.people import deadlines, people, plans

router = APIRouter(tags=["queries"], responses=error_responses(*COMMON_ERRORS))
OrgAdmin = Annotated[
    Principal, Depends(require_roles(Role.ORG_ADMIN, Role.PLATFORM_ADMIN, Role.SYSTEM))
]


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
    birth_date: date
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
    on = today()
    where: list[Any] = []
    if stage:
        where.append(people.c.stage.in_([s.value for s in stage]))
    if education:
        where.append(people.c.education == education)
    # Age N full years ⇔ born on or before the date N years ago.
    if min_age is not None:
        where.append(people.c.birth_date <= add_months(on, -12 * min_age))
    if max_age is not None:
        where.append(people.c.birth_date > add_months(on, -12 * (max_age + 1)))
    if min_party_years is not None:
        where.append(people.c.formal_since <= add_months(on, -12 * min_party_years))
    if max_party_years is not None:
        where.append(people.c.formal_since > add_months(on, -12 * (max_party_years + 1)))
    rows = await rows_in_subtree(
        runtime.db,
        people,
        people.c.branch_id,
        root,
        after=decode_cursor(cursor),
        limit=limit,
        where=tuple(where),
    )
    entries = [
        RosterEntry(
            id=r.id,
            name=r.name,
            gender=r.gender,
            birth_date=r.birth_date,
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


class ToDo(BaseModel):
    person_id: UUID
    name: str
    branch_id: UUID
    stage: Stage
    kind: DeadlineKind
    label: str
    due_on: date
    overdue: bool
    days_overdue: int


@router.get(
    "/orgs/{org_id}/to-do",
    name="get_to_do",
    summary="What is due and overdue in the subtree (talks, assessments, approvals, 转正...)",
    response_model=Page[ToDo],
    responses=error_responses(404),
)
async def get_to_do(
    org_id: UUID,
    runtime: Runtime,
    principal: Staff,
    as_of: Annotated[date | None, Query(description="Default: today (Beijing)")] = None,
    within_days: Annotated[int, Query(ge=0, le=366, description="Due within this many days")] = 30,
    overdue_only: bool = False,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[ToDo]:
    root = await visible_org(runtime, principal, org_id)
    on = as_of or today()
    horizon = on if overdue_only else date.fromordinal(on.toordinal() + within_days)
    query = (
        select(deadlines, people.c.name, people.c.branch_id, people.c.stage)
        .join(people, people.c.id == deadlines.c.person_id)
        .join(org_nodes, org_nodes.c.id == people.c.branch_id)
        .where(
            in_subtree(root.path),
            deadlines.c.due_on < horizon if overdue_only else deadlines.c.due_on <= horizon,
        )
        .order_by(deadlines.c.due_on, deadlines.c.person_id, deadlines.c.kind)
        .limit(limit + 1)
    )
    after = decode_cursor(cursor)
    if after is not None:
        due, person, kind = date.fromisoformat(after[0]), after[1], after[2]
        query = query.where(
            or_(
                deadlines.c.due_on > due,
                and_(deadlines.c.due_on == due, deadlines.c.person_id > person),
                and_(
                    deadlines.c.due_on == due,
                    deadlines.c.person_id == person,
                    deadlines.c.kind > kind,
                ),
            )
        )
    async with runtime.db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    items = [
        ToDo(
            person_id=r.person_id,
            name=r.name,
            branch_id=r.branch_id,
            stage=Stage.of(r.stage),
            kind=DeadlineKind.of(r.kind),
            label=DeadlineKind.of(r.kind).label,
            due_on=r.due_on,
            overdue=r.due_on < on,
            days_overdue=max(0, (on - r.due_on).days),
        )
        for r in rows
    ]
    return keyset_page(
        items, limit, lambda t: [t.due_on.isoformat(), str(t.person_id), t.kind.value]
    )


class Voter(BaseModel):
    id: UUID
    name: str


class VotingRoll(BaseModel):
    """Who has a vote at the branch's 支部大会 on a date, from the register."""

    org_id: UUID
    on: date
    entitled: int = Field(description="正式党员 in good standing: the 应到 before exclusions")
    voters: list[Voter]
    without_vote: dict[str, int] = Field(
        description="Members of the branch without a vote: probationary, suspended, 留党察看"
    )


@router.get(
    "/orgs/{org_id}/voting-roll",
    name="get_voting_roll",
    summary="The branch's voting members on a date (预备党员, 停止党籍, 留党察看 have no vote)",
    response_model=VotingRoll,
    responses=error_responses(404),
)
async def get_voting_roll(
    org_id: UUID,
    runtime: Runtime,
    principal: Staff,
    on: Annotated[date | None, Query(description="Default: today (Beijing)")] = None,
) -> VotingRoll:
    await visible_org(runtime, principal, org_id)
    day = on or today()
    query = (
        select(
            people.c.id,
            people.c.name,
            people.c.stage,
            people.c.standing,
            people.c.party_probation_until,
        )
        .where(
            people.c.branch_id == str(org_id),
            people.c.stage.in_(["formal", "probationary"]),
        )
        .order_by(people.c.name, people.c.id)
    )
    async with runtime.db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    voters, without = [], {"probationary": 0, "suspended": 0, "party_probation": 0}
    for r in rows:
        if r.stage == "probationary":
            without["probationary"] += 1
        elif r.standing != "good":
            without["suspended"] += 1
        elif r.party_probation_until is not None and r.party_probation_until >= day:
            without["party_probation"] += 1
        else:
            voters.append(Voter(id=r.id, name=r.name))
    return VotingRoll(
        org_id=org_id, on=day, entitled=len(voters), voters=voters, without_vote=without
    )


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
    request: Request,
    runtime: Runtime,
    principal: OrgAdmin,
) -> PlanStats:
    await visible_org(runtime, principal, org_id)
    meta = event_meta(request, principal, body.reason)
    _, position = await anyio.to_thread.run_sync(
        lambda: lifecycle(runtime).set_plan(org_id, year, body.quota, meta=meta)
    )
    await runtime.read_your_writes(position)
    return await plan_stats(org_id, year, runtime, principal)


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
