"""A branch's voting roll from the register: who has a vote at its 支部大会 on a date.

A vote's 应到 is taken from here, not from the figure a branch declares: with 2 of a roll of 10
present, declaring 应到 3 would pass an admission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from sqlalchemy import and_, or_, select

from jiceng.readmodel.database import ReadModelDatabase
from member_lifecycle.projections.people import people


@dataclass
class Roll:
    voters: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    without_vote: dict[str, int] = field(
        default_factory=lambda: {"probationary": 0, "suspended": 0, "party_probation": 0}
    )

    @property
    def ids(self) -> set[str]:
        return {voter_id for voter_id, _ in self.voters}


async def register_roll(db: ReadModelDatabase, branch_id: UUID, on: date) -> Roll:
    """正式党员 of the branch in good standing on ``on``; 预备党员, 停止党籍 and 留党察看 have
    no vote. Members who left after ``on`` still count; those made full members later do not."""
    still_member = or_(
        people.c.stage.in_(["formal", "probationary"]),
        and_(people.c.stage == "exited", people.c.exited_on > on),
    )
    query = (
        select(
            people.c.id,
            people.c.name,
            people.c.stage,
            people.c.admitted_on,
            people.c.formal_since,
            people.c.standing,
            people.c.party_probation_until,
        )
        .where(people.c.branch_id == str(branch_id), still_member)
        .order_by(people.c.name, people.c.id)
    )
    async with db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    roll = Roll()
    for r in rows:
        if r.admitted_on is not None and r.admitted_on > on:
            continue  # not yet a member on that day
        if r.stage == "probationary" or (r.formal_since is not None and r.formal_since > on):
            roll.without_vote["probationary"] += 1
        elif r.standing != "good":
            roll.without_vote["suspended"] += 1
        elif r.party_probation_until is not None and r.party_probation_until >= on:
            roll.without_vote["party_probation"] += 1
        else:
            roll.voters.append((r.id, r.name))
    return roll
