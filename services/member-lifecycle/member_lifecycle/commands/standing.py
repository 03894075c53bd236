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
    async def report_lost_contact(self, caller: Caller, command: ReportLostContact) -> Person:
        return await self.act_on(
            caller, command, command.on, lambda p, r: p.report_lost_contact(command.on, r)
        )

    async def suspend(self, caller: Caller, command: Suspend) -> Person:
        return await self.act_on(
            caller, command, command.on, lambda p, r: p.suspend(command.on, command.body, r)
        )

    async def restore(self, caller: Caller, command: Restore) -> Person:
        return await self.act_on(caller, command, command.on, lambda p, r: p.restore(command.on, r))

    async def order_rectification(self, caller: Caller, command: OrderRectification) -> Person:
        c = command
        return await self.act_on(
            caller, c, c.ordered_on, lambda p, r: p.order_rectification(c.ordered_on, c.until, r)
        )

    async def conclude_rectification(
        self, caller: Caller, command: ConcludeRectification
    ) -> Person:
        c = command
        return await self.act_on(
            caller, c, c.on, lambda p, r: p.conclude_rectification(c.on, c.improved, r)
        )

    async def record_party_probation(self, caller: Caller, command: RecordPartyProbation) -> Person:
        c = command
        return await self.act_on(
            caller,
            c,
            c.decided_on,
            lambda p, r: p.record_party_probation(c.decided_on, c.until, c.decision, r),
        )
