"""Commands on an organisation's leadership: elections (换届), approval, vacancies, postponing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from jiceng.commands import Caller
from org_registry.commands.base import RegistryHandlers
from org_registry.domain.organisation import Organisation
from org_registry.domain.term import Seat
from org_registry.domain.types import Office


@dataclass(frozen=True)
class RecordElection:
    """换届选举: the seats elected on ``held_on``; the term they start."""

    org_id: UUID
    held_on: date
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class ApproveLeaders:
    """上级党委批准 the elected 书记/副书记."""

    org_id: UUID
    approved_on: date
    approved_by: str


@dataclass(frozen=True)
class OpenVacancy:
    org_id: UUID
    office: Office
    since: date


@dataclass(frozen=True)
class FillVacancy:
    org_id: UUID
    seat: Seat
    filled_on: date


@dataclass(frozen=True)
class PostponeTerm:
    """延期换届, approved by the level above."""

    org_id: UUID
    months: int
    approved_on: date
    approved_by: str


class TermHandlers(RegistryHandlers):
    async def record_election(self, command: RecordElection, caller: Caller) -> Organisation:
        node = await self.visible(caller, command.org_id)
        policy = await self.rules_on(node, command.held_on)
        return await self.change(
            caller,
            lambda: self.log.organisation(command.org_id),
            lambda org: org.record_election(policy, command.held_on, list(command.seats)),
            pack=policy,
        )

    async def approve_leaders(self, command: ApproveLeaders, caller: Caller) -> Organisation:
        await self.visible(caller, command.org_id)
        return await self.change(
            caller,
            lambda: self.log.organisation(command.org_id),
            lambda org: org.approve_leaders(command.approved_on, command.approved_by),
        )

    async def open_vacancy(self, command: OpenVacancy, caller: Caller) -> Organisation:
        await self.visible(caller, command.org_id)
        return await self.change(
            caller,
            lambda: self.log.organisation(command.org_id),
            lambda org: org.open_vacancy(command.office, command.since),
        )

    async def fill_vacancy(self, command: FillVacancy, caller: Caller) -> Organisation:
        await self.visible(caller, command.org_id)
        return await self.change(
            caller,
            lambda: self.log.organisation(command.org_id),
            lambda org: org.fill_vacancy(command.seat, command.filled_on),
        )

    async def postpone_term(self, command: PostponeTerm, caller: Caller) -> Organisation:
        node = await self.visible(caller, command.org_id)
        policy = await self.rules_on(node, command.approved_on)
        return await self.change(
            caller,
            lambda: self.log.organisation(command.org_id),
            lambda org: org.postpone_term(
                policy, command.months, command.approved_on, command.approved_by
            ),
            pack=policy,
        )
