"""What member-lifecycle's handlers share: where a person's record is kept, the rules in force
on a command's date, and one change to a person.

A command on a person is scoped on the branch that keeps their record, as the people read
model shows it (read-your-writes keeps it current for the caller's own changes), so that the
handler needs one worker-thread call only: it loads the person, checks that the version and
the branch are still those the caller and the scope check saw, runs the person's command and
saves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import select

from jiceng.commands import Caller, Handlers
from jiceng.errors import InvalidInput, NotFound, StaleVersion
from jiceng.orgtree.queries import OrgNode
from jiceng.personal import PersonalDataSealer, sealer_for
from jiceng.policy import Policy
from jiceng.runtime import ServiceRuntime
from jiceng.workingdays.queries import working_day_calendar
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.person import Person
from member_lifecycle.projections.people import people


@dataclass(frozen=True)
class PersonCommand:
    """What every command on a person names: whom (why is the caller's, for the events)."""

    person_id: UUID


@dataclass(frozen=True)
class Kept:
    """Where a person's record is kept, as the read model shows it: the branch (whose pack
    decides) and a pending transfer's destination."""

    person_id: UUID
    branch: OrgNode
    transfer_to: UUID | None
    version: int  # the person's version the read model shows


class LifecycleHandlers(Handlers[MemberLifecycle]):
    """The base of member-lifecycle's handlers (one mixin per resource builds on it)."""

    def __init__(self, runtime: ServiceRuntime, log: MemberLifecycle) -> None:
        super().__init__(runtime, log)
        self.sealer: PersonalDataSealer = sealer_for(runtime.settings)

    async def kept(self, caller: Caller, person_id: UUID, *, receiving: bool = False) -> Kept:
        """The person's branch, if the caller's subtree holds it (the destination of their
        pending transfer when ``receiving``); else the 404 of a person who does not exist."""
        async with self.runtime.db.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(people.c.branch_id, people.c.transfer_to, people.c.version).where(
                        people.c.id == str(person_id)
                    )
                )
            ).first()
        if row is None:
            raise NotFound("resource.not_found", resource="person", id=str(person_id))
        branch = UUID(row.branch_id)
        transfer_to = UUID(row.transfer_to) if row.transfer_to else None
        # Out of sight reads as a person who does not exist: never name their branch.
        if receiving and transfer_to is not None:
            await self.visible(caller, transfer_to, resource="person", resource_id=person_id)
            node = await self.orgtree.get(branch)
            if node is None:  # pragma: no cover - a person's branch is in the tree
                raise InvalidInput("person.branch_unknown", id=str(branch))
        else:
            node = await self.visible(caller, branch, resource="person", resource_id=person_id)
        return Kept(person_id, node, transfer_to, row.version)

    async def rules(self, branch: OrgNode, on: date) -> Rules:
        """The pack in force for the branch on the command's date, the calendar, today."""
        policy = await self.rules_on(branch, on)
        calendar = await working_day_calendar(self.runtime.db)
        return Rules(policy, calendar, self.today, self.sealer)

    async def act_on(
        self,
        caller: Caller,
        command: PersonCommand,
        on: date,
        act: Callable[[Person, Rules], None],
        *,
        receiving: bool = False,
    ) -> Person:
        """A command on a person dated ``on``: scope, the rules in force that day, one change
        running the person's command ``act``."""
        kept = await self.kept(caller, command.person_id, receiving=receiving)
        rules = await self.rules(kept.branch, on)
        return await self.change_person(
            caller, kept, rules.policy, lambda person: act(person, rules)
        )

    async def change_person(
        self,
        caller: Caller,
        kept: Kept,
        policy: Policy,
        act: Callable[[Person], None],
    ) -> Person:
        """Load the person, check the version the caller saw and that the record is still
        where the scope was checked, run ``act`` (one of the person's commands), save."""

        def load() -> Person:
            person = self.log.person(kept.person_id)
            pending = person.transfer["to_id"] if person.transfer else None
            if person.branch_id != kept.branch.id or pending != (
                str(kept.transfer_to) if kept.transfer_to else None
            ):
                # The record moved since the read model showed it: the scope checked may
                # not be this record's any more.
                raise StaleVersion(
                    "concurrency.stale_version", expected=kept.version, current=person.version
                )
            return person

        return await self.change(caller, load, act, pack=policy)
