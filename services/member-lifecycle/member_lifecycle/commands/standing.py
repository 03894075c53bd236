"""A member's standing: 失联, 停止党籍, 恢复, 限期改正, 留党察看 (commands and handlers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jiceng.commands import Caller
from member_lifecycle.commands.base import LifecycleHandlers, PersonCommand
from member_lifecycle.domain.person import Person


@dataclass(frozen=True)
class ReportLostContact(PersonCommand):
    on: date  # the day contact was lost


@dataclass(frozen=True)
class Suspend(PersonCommand):
    on: date
    body: str  # the deciding committee


@dataclass(frozen=True)
class Restore(PersonCommand):
    on: date


@dataclass(frozen=True)
class OrderRectification(PersonCommand):
    ordered_on: date
    until: date


@dataclass(frozen=True)
class ConcludeRectification(PersonCommand):
    on: date
    improved: bool


@dataclass(frozen=True)
class RecordPartyProbation(PersonCommand):
    decided_on: date
    until: date
    decision: str  # 处分决定文号


class StandingHandlers(LifecycleHandlers):
    async def report_lost_contact(self, command: ReportLostContact, caller: Caller) -> Person:
        return await self.act_on(
            caller, command, command.on, lambda p, r: p.report_lost_contact(command.on, r)
        )

    async def suspend(self, command: Suspend, caller: Caller) -> Person:
        return await self.act_on(
            caller, command, command.on, lambda p, r: p.suspend(command.on, command.body, r)
        )

    async def restore(self, command: Restore, caller: Caller) -> Person:
        return await self.act_on(caller, command, command.on, lambda p, r: p.restore(command.on, r))

    async def order_rectification(self, command: OrderRectification, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.ordered_on,
            lambda p, r: p.order_rectification(command.ordered_on, command.until, r),
        )

    async def conclude_rectification(
        self, command: ConcludeRectification, caller: Caller
    ) -> Person:
        return await self.act_on(
            caller,
            command,
            command.on,
            lambda p, r: p.conclude_rectification(command.on, command.improved, r),
        )

    async def record_party_probation(self, command: RecordPartyProbation, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.decided_on,
            lambda p, r: p.record_party_probation(
                command.decided_on, command.until, command.decision, r
            ),
        )
