"""A branch's voting roll from the register: who has a vote at its 支部大会 on a date.

A vote's 应到 is taken from here, not from the figure a branch declares: with 2 of a roll of 10
present, declaring 应到 3 would pass an admission.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from jiceng.api.deps import Runtime, visible_org
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import in_subtree
from member_lifecycle.api.support import Staff
from member_lifecycle.projections.people import vote_discrepancies
from member_lifecycle.projections.voting_roll import register_roll

router = APIRouter(tags=["to-do"], responses=error_responses(*COMMON_ERRORS))


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
    on: Annotated[Day | None, Query(description="Default: today (Beijing)")] = None,
) -> VotingRoll:
    await visible_org(runtime, principal, org_id)
    day = on or runtime.clock()
    roll = await register_roll(runtime.db, org_id, day)
    return VotingRoll(
        org_id=org_id,
        on=day,
        entitled=len(roll.voters),
        voters=[Voter(id=UUID(i), name=n) for i, n in roll.voters],
        without_vote=roll.without_vote,
    )


class VoteDiscrepancy(BaseModel):
    """A vote whose 应到 was not the register's: who stated what, and why."""

    event_id: int
    person_id: UUID
    branch_id: UUID
    action: str = Field(description="The step or exit the vote decided")
    voted_on: date
    stated: int = Field(description="应到 before exclusions as the branch stated it")
    register_entitled: int = Field(description="The register's voting roll on the vote's date")
    reason: str | None
    actor: str | None


@router.get(
    "/orgs/{org_id}/vote-discrepancies",
    name="list_vote_discrepancies",
    summary="Votes in the subtree whose 应到 differs from the register's voting roll (paged)",
    response_model=Page[VoteDiscrepancy],
    responses=error_responses(404),
)
async def list_vote_discrepancies(
    org_id: UUID,
    runtime: Runtime,
    principal: Staff,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[VoteDiscrepancy]:
    root = await visible_org(runtime, principal, org_id)
    query = (
        select(vote_discrepancies)
        .join(org_nodes, org_nodes.c.id == vote_discrepancies.c.branch_id)
        .where(in_subtree(root.path))
        .order_by(vote_discrepancies.c.event_id)
        .limit(limit + 1)
    )
    after = decode_cursor(cursor, (int,))
    if after is not None:
        query = query.where(vote_discrepancies.c.event_id > after[0])
    async with runtime.db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    items = [VoteDiscrepancy.model_validate(r._asdict()) for r in rows]
    return keyset_page(items, limit, lambda d: [d.event_id])
