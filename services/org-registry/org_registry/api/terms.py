"""Terms of office: elections (换届), approval, vacancies, postponement, and what is due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import ColumnElement, Row, select

from jiceng.api.deps import CommandCaller, CurrentPrincipal, Runtime, visible_org
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.orgtree import contract
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import OrgNode, in_subtree
from org_registry import commands
from org_registry.api.schemas import OrganisationView
from org_registry.api.support import OnDate, Registry, organisation_view
from org_registry.api.term_schemas import (
    ApproveLeaders,
    DueTermView,
    FillVacancy,
    OpenVacancy,
    PostponeTerm,
    RecordElection,
    VacancyView,
)
from org_registry.domain.types import Office
from org_registry.projections.terms import terms

router = APIRouter(tags=["terms"], responses=error_responses(*COMMON_ERRORS))
ORG = "/organisations/{org_id}"
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.post(
    f"{ORG}/elections",
    name="record_election",
    summary="Record an election (换届选举) and the term it starts",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def record_election(
    org_id: UUID,
    body: RecordElection,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    seats = tuple(s.seat() for s in body.seats)
    command = commands.RecordElection(org_id, body.held_on, seats)
    org = await registry.record_election(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/leader-approval",
    name="approve_leaders",
    summary="The level above approves the elected 书记/副书记",
    response_model=OrganisationView,
    responses=error_responses(404, 409, 412),
)
async def approve_leaders(
    org_id: UUID,
    body: ApproveLeaders,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.ApproveLeaders(org_id, body.approved_on, body.approved_by)
    org = await registry.approve_leaders(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/vacancies",
    name="open_vacancy",
    summary="An office falls vacant (空缺)",
    response_model=OrganisationView,
    responses=error_responses(404, 409, 412),
)
async def open_vacancy(
    org_id: UUID,
    body: OpenVacancy,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.OpenVacancy(org_id, body.office, body.since)
    org = await registry.open_vacancy(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/vacancy-filling",
    name="fill_vacancy",
    summary="A vacant office is filled",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def fill_vacancy(
    org_id: UUID,
    body: FillVacancy,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.FillVacancy(org_id, body.seat.seat(), body.filled_on)
    org = await registry.fill_vacancy(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


@router.post(
    f"{ORG}/term-postponement",
    name="postpone_term",
    summary="Approved postponement of the next election (延期换届, within the pack's limit)",
    response_model=OrganisationView,
    responses=error_responses(404, 412),
)
async def postpone_term(
    org_id: UUID,
    body: PostponeTerm,
    response: Response,
    registry: Registry,
    caller: CommandCaller,
) -> OrganisationView:
    command = commands.PostponeTerm(org_id, body.months, body.approved_on, body.approved_by)
    org = await registry.postpone_term(command, caller.because(body.reason))
    return await organisation_view(registry, org, response)


async def _terms_in(
    runtime: Runtime, root: OrgNode, *conditions: ColumnElement[bool], limit: int
) -> Sequence[Row[Any]]:
    query = (
        select(terms, org_nodes.c.name, org_nodes.c.org_type, org_nodes.c.path)
        .join(org_nodes, org_nodes.c.id == terms.c.org_id)
        .where(in_subtree(root.path), org_nodes.c.status == contract.ACTIVE, *conditions)
        .limit(limit)
    )
    async with runtime.db.engine.connect() as conn:
        return (await conn.execute(query)).all()


def _due(row: Row[Any], day: date) -> DueTermView:
    return DueTermView(
        org_id=UUID(row.org_id),
        org_name=row.name,
        org_type=row.org_type,
        held_on=row.held_on,
        due_on=row.due_on,
        days_left=(row.due_on - day).days,
    )


@router.get(
    f"{ORG}/elections-due",
    name="list_elections_due",
    summary="Organisations in the subtree whose election falls due within N days",
    response_model=list[DueTermView],
    responses=error_responses(404),
)
async def elections_due(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    within_days: Annotated[int, Query(ge=0, le=3660)] = 90,
    on: OnDate = None,
    limit: Limit = 200,
) -> list[DueTermView]:
    root = await visible_org(runtime, principal, org_id)
    day = on or runtime.clock()
    rows = await _terms_in(
        runtime,
        root,
        terms.c.due_on >= day,
        terms.c.due_on <= day + timedelta(days=within_days),
        limit=limit,
    )
    return sorted((_due(r, day) for r in rows), key=lambda d: (d.due_on, d.org_name))


@router.get(
    f"{ORG}/elections-overdue",
    name="list_elections_overdue",
    summary="Organisations in the subtree whose election is overdue (逾期未换届)",
    response_model=list[DueTermView],
    responses=error_responses(404),
)
async def elections_overdue(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    on: OnDate = None,
    limit: Limit = 200,
) -> list[DueTermView]:
    root = await visible_org(runtime, principal, org_id)
    day = on or runtime.clock()
    rows = await _terms_in(runtime, root, terms.c.due_on < day, limit=limit)
    return sorted((_due(r, day) for r in rows), key=lambda d: (d.due_on, d.org_name))


@router.get(
    f"{ORG}/secretary-vacancies",
    name="list_secretary_vacancies",
    summary="Secretary posts vacant longer than the pack's limit (or longer_than_days)",
    response_model=list[VacancyView],
    responses=error_responses(404),
)
async def secretary_vacancies(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    on: OnDate = None,
    longer_than_days: Annotated[int | None, Query(ge=0, le=36600)] = None,
    limit: Limit = 200,
) -> list[VacancyView]:
    root = await visible_org(runtime, principal, org_id)
    day = on or runtime.clock()
    rows = await _terms_in(runtime, root, terms.c.secretary_vacant_since.is_not(None), limit=limit)
    nodes = await runtime.orgtree.many([r.org_id for r in rows])
    policies = await runtime.orgtree.packs_in_force(nodes, day)
    found: list[VacancyView] = []
    for row in rows:
        policy = policies[UUID(row.org_id)]
        limit_days = longer_than_days
        if limit_days is None:
            limit_days = policy.get("org.secretary_vacancy_max_days")
        days = (day - row.secretary_vacant_since).days
        if limit_days is not None and days > limit_days:
            found.append(
                VacancyView(
                    org_id=UUID(row.org_id),
                    org_name=row.name,
                    office=Office.SECRETARY,
                    since=row.secretary_vacant_since,
                    days_vacant=days,
                    limit_days=limit_days,
                    pack=policy.ref,
                )
            )
    return sorted(found, key=lambda v: -v.days_vacant)
