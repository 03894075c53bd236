"""What a step's request names, resolved: the members (their standing on the register), the
vote (its 应到 from the branch's voting roll) and the approving committee (from the tree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import select

from jiceng import scope
from jiceng.auth.principal import Principal
from jiceng.errors import InvalidInput
from jiceng.orgtree.queries import OrgNode, OrgTree
from jiceng.readmodel.database import ReadModelDatabase
from member_lifecycle.commands.step_inputs import Named
from member_lifecycle.domain.evidence import Exclusion, ExclusionReason, MemberStanding, Vote
from member_lifecycle.domain.stages import Stage
from member_lifecycle.domain.step_input import Approver, approval_power
from member_lifecycle.projections.people import people
from member_lifecycle.projections.voting_roll import register_roll


@dataclass(frozen=True)
class VoteGiven:
    """A vote as the request states it; ``entitled`` None: the register's voting roll."""

    present: int
    in_favour: int
    against: int = 0
    abstained: int = 0
    written_opinions: int = 0
    entitled: int | None = None
    entitled_reason: str | None = None
    exclusions: tuple[tuple[str, ExclusionReason, str], ...] = ()  # member, reason, approved by
    roll: tuple[UUID, ...] = ()

    def vote(self, register_entitled: int) -> Vote:
        return Vote(
            entitled=register_entitled if self.entitled is None else self.entitled,
            register_entitled=register_entitled,
            entitled_reason=self.entitled_reason,
            present=self.present,
            in_favour=self.in_favour,
            against=self.against,
            abstained=self.abstained,
            written_opinions=self.written_opinions,
            exclusions=tuple(Exclusion(*e) for e in self.exclusions),
            roll=self.roll,
        )


@dataclass(frozen=True)
class Naming:
    """Who and what a request names, by id."""

    members: tuple[UUID, ...] = ()
    vote: VoteGiven | None = None
    approver_id: UUID | None = None


async def resolve(
    db: ReadModelDatabase,
    orgtree: OrgTree,
    principal: Principal,
    branch: OrgNode,
    on: date,
    naming: Naming,
) -> Named:
    """Members named outside the caller's sight (a contact, an introducer) are refused exactly
    as ones not registered: neither their name nor their stage is told. Voters are on the
    branch's roll."""
    vote: Vote | None = None
    voters: tuple[UUID, ...] = ()
    if naming.vote is not None:
        roll = await register_roll(db, branch.id, on)
        for voter in naming.vote.roll:
            if str(voter) not in roll.ids:
                raise InvalidInput("vote.voter_not_on_roll", id=str(voter))
        voters = naming.vote.roll
        vote = naming.vote.vote(register_entitled=len(roll.voters))
    ids = naming.members + voters
    found = await _registered(db, ids, on) if ids else ()
    for member, kept in found[: len(naming.members)]:
        if not await in_sight(orgtree, principal, kept):
            raise InvalidInput("person.member_not_registered", id=str(member.person_id))
    approver = None
    if naming.approver_id is not None:
        approver = await approver_for(orgtree, principal, branch, naming.approver_id)
    return Named(tuple(member for member, _ in found), vote, approver)


async def _registered(
    db: ReadModelDatabase, ids: tuple[UUID, ...], on: date
) -> tuple[tuple[MemberStanding, tuple[str, str | None]], ...]:
    """Each member's standing on ``on`` and where their record is kept, in the order named."""
    query = select(
        people.c.id,
        people.c.name,
        people.c.stage,
        people.c.standing,
        people.c.party_probation_until,
        people.c.branch_id,
        people.c.transfer_to,
    ).where(people.c.id.in_([str(i) for i in ids]))
    async with db.engine.connect() as conn:
        rows = {r.id: r for r in (await conn.execute(query)).all()}
    found = []
    for member_id in ids:
        r = rows.get(str(member_id))
        if r is None:
            raise InvalidInput("person.member_not_registered", id=str(member_id))
        good = (
            r.stage in (Stage.FORMAL, Stage.PROBATIONARY)
            and r.standing == "good"
            and (r.party_probation_until is None or r.party_probation_until < on)
        )
        standing = MemberStanding(member_id, r.name, r.stage, good)
        found.append((standing, (r.branch_id, r.transfer_to)))
    return tuple(found)


async def in_sight(orgtree: OrgTree, principal: Principal, kept: tuple[str, str | None]) -> bool:
    """A member whose branch (or pending transfer's destination) is in the caller's subtree."""
    for org_id in kept:
        node = await orgtree.get(UUID(org_id)) if org_id else None
        if node is not None and await scope.in_scope(orgtree, principal, node):
            return True
    return False


async def approver_for(
    orgtree: OrgTree, principal: Principal, branch: OrgNode, org_id: UUID
) -> Approver:
    """The approving committee as the tree shows it. One the caller cannot see (neither in
    its subtree, nor above it or above the branch) is unknown: its name is not told."""
    node = await orgtree.get(org_id)
    visible = node is not None and (
        branch.is_within(node.path)
        or await scope.in_scope(orgtree, principal, node)
        or await scope.above_scope(orgtree, principal, node)
    )
    if node is None or not visible:
        raise InvalidInput("development.approver_unknown", id=str(org_id))
    parent = await orgtree.get(node.parent_id) if node.parent_id else None
    return approval_power(
        node.id,
        node.name,
        node.org_type,
        node.domain,
        (parent.org_type, parent.domain) if parent else None,
        above_branch=branch.is_within(node.path) and node.id != branch.id,
    )
