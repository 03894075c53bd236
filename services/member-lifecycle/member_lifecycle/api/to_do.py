"""What is due: the to-do list of a subtree."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import and_, or_, select

from jiceng.api.deps import Runtime, visible_org
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import in_subtree
from member_lifecycle.api.support import Staff
from member_lifecycle.domain.stages import DeadlineKind, Stage
from member_lifecycle.projections.people import deadlines, people

router = APIRouter(tags=["to-do"], responses=error_responses(*COMMON_ERRORS))


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
    as_of: Annotated[Day | None, Query(description="Default: today (Beijing)")] = None,
    within_days: Annotated[int, Query(ge=0, le=366, description="Due within this many days")] = 30,
    overdue_only: bool = False,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[ToDo]:
    root = await visible_org(runtime, principal, org_id)
    on = as_of or runtime.clock()
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
    after = decode_cursor(cursor, (date, str, str))
    if after is not None:
        due, person, kind = after
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
