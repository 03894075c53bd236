"""``/org-registry/v1/host-units``: units, their members and coverage; coverage reports."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status
from sqlalchemy import select

from jiceng.api.deps import CommandCaller, CurrentPrincipal, Runtime, visible_org
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.orgtree.paging import rows_in_subtree
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import in_subtree
from org_registry import commands
from org_registry.api.support import OnDate, Registry
from org_registry.api.unit_schemas import (
    CoverageView,
    CoverUnit,
    HostUnitView,
    RateView,
    RecordUnitMembers,
    RegisterHostUnit,
)
from org_registry.domain.coverage import Rate, UnitFacts, coverage_report
from org_registry.domain.types import CoverageKind
from org_registry.projections.host_units import host_units

router = APIRouter(tags=["host units"], responses=error_responses(*COMMON_ERRORS))
UNIT = "/host-units/{unit_id}"


@router.post(
    "/host-units",
    name="register_host_unit",
    status_code=status.HTTP_201_CREATED,
    summary="Register a host unit (单位) under the organisation that manages it",
    response_model=HostUnitView,
    responses=error_responses(404, 409),
)
async def register_host_unit(
    body: RegisterHostUnit, registry: Registry, caller: CommandCaller
) -> HostUnitView:
    command = commands.RegisterHostUnit(
        name=body.name,
        credit_code=body.credit_code,
        unit_type=body.unit_type,
        employees=body.employees,
        region_code=body.region_code,
        managing_org_id=body.managing_org_id,
    )
    return HostUnitView.of(await registry.register_host_unit(command, caller.because(body.reason)))


@router.get(
    UNIT,
    name="get_host_unit",
    summary="A host unit",
    response_model=HostUnitView,
    responses=error_responses(404),
)
async def get_host_unit(
    unit_id: UUID, registry: Registry, principal: CurrentPrincipal
) -> HostUnitView:
    return HostUnitView.of(await registry.host_unit(principal, unit_id))


@router.post(
    f"{UNIT}/member-count",
    name="record_host_unit_members",
    summary="Record the unit's members (正式党员 and all)",
    response_model=HostUnitView,
    responses=error_responses(404, 412),
)
async def record_members(
    unit_id: UUID, body: RecordUnitMembers, registry: Registry, caller: CommandCaller
) -> HostUnitView:
    command = commands.RecordUnitMembers(unit_id, body.formal, body.total, body.as_of)
    return HostUnitView.of(await registry.record_unit_members(command, caller.because(body.reason)))


@router.post(
    f"{UNIT}/coverage",
    name="cover_host_unit",
    summary="Record how the unit is covered (own org, joint org, or an instructor)",
    response_model=HostUnitView,
    responses=error_responses(404, 412),
)
async def cover(
    unit_id: UUID, body: CoverUnit, registry: Registry, caller: CommandCaller
) -> HostUnitView:
    command = commands.CoverHostUnit(
        unit_id, body.kind, body.covered_on, org_id=body.org_id, instructor=body.instructor
    )
    return HostUnitView.of(await registry.cover_host_unit(command, caller.because(body.reason)))


@router.get(
    "/organisations/{org_id}/host-units",
    name="list_host_units",
    summary="Host units managed in the subtree, by name, with their coverage (paged)",
    response_model=Page[HostUnitView],
    responses=error_responses(404),
)
async def list_host_units(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    coverage: Annotated[CoverageKind | None, Query(description="Only this coverage")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[HostUnitView]:
    root = await visible_org(runtime, principal, org_id)
    where = () if coverage is None else (host_units.c.coverage == coverage.value,)
    rows = await rows_in_subtree(
        runtime.db,
        host_units,
        host_units.c.managing_org_id,
        root,
        after=decode_cursor(cursor, (str, str)),
        limit=limit,
        where=where,
    )
    views = [HostUnitView.model_validate(row._asdict()) for row in rows]
    return keyset_page(views, limit, lambda u: [u.name, str(u.id)])


def _rate(rate: Rate) -> RateView:
    return RateView(
        eligible=rate.eligible,
        covered=len(rate.covered),
        rate=rate.rate,
        covered_units=[UUID(u) for u in rate.covered],
        uncovered_units=[UUID(u) for u in rate.uncovered],
    )


@router.get(
    "/organisations/{org_id}/coverage",
    name="coverage_report",
    summary="Coverage of the host units managed in the subtree, optionally by region",
    response_model=CoverageView,
    responses=error_responses(404),
)
async def coverage(
    org_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    region: Annotated[
        str | None, Query(pattern=r"^\d{2,12}$", description="Region code prefix")
    ] = None,
    on: OnDate = None,
) -> CoverageView:
    root = await visible_org(runtime, principal, org_id)
    query = (
        select(host_units)
        .join(org_nodes, org_nodes.c.id == host_units.c.managing_org_id)
        .where(in_subtree(root.path))
    )
    if region:
        query = query.where(host_units.c.region_code.startswith(region))
    async with runtime.db.engine.connect() as conn:
        rows = (await conn.execute(query.order_by(host_units.c.name))).all()
    units = [
        UnitFacts(
            r.id,
            r.name,
            r.credit_code,
            r.region_code,
            r.formal_members,
            r.members,
            CoverageKind.of(r.coverage),
        )
        for r in rows
    ]
    policy = await runtime.orgtree.pack_in_force(root, on or runtime.clock())
    report = coverage_report(units, policy)
    return CoverageView(
        standalone=_rate(report.standalone),
        organisation=_rate(report.organisation),
        work=_rate(report.work),
        threshold=report.threshold,
        pack=report.pack,
        units=len(units),
    )
