"""Where a member belongs: 组织关系转接 and 流动党员 (commands and their handlers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from jiceng import scope
from jiceng.commands import Caller
from jiceng.errors import InvalidInput
from member_lifecycle.commands.base import LifecycleHandlers, PersonCommand
from member_lifecycle.domain.person import Person


@dataclass(frozen=True)
class SendTransfer(PersonCommand):
    to_org_id: UUID
    sent_on: date
    letter: str  # 介绍信编号


@dataclass(frozen=True)
class AcceptTransfer(PersonCommand):
    """By the receiving organisation."""

    on: date


@dataclass(frozen=True)
class ReturnTransfer(PersonCommand):
    """By the receiving organisation."""

    on: date
    why: str


@dataclass(frozen=True)
class PostponeConversion(PersonCommand):
    on: date
    months: int
    why: str


@dataclass(frozen=True)
class RegisterOutflow(PersonCommand):
    left_on: date
    destination: str
    certificate: str  # 流动党员活动证编号


@dataclass(frozen=True)
class RecordOutflowContact(PersonCommand):
    on: date


@dataclass(frozen=True)
class EndOutflow(PersonCommand):
    on: date


class MoveHandlers(LifecycleHandlers):
    async def send_transfer(self, command: SendTransfer, caller: Caller) -> Person:
        """Transfers cross subtrees, so any active organisation may receive; its name is
        recorded only where the sender could read it anyway (its subtree and the committees
        above it)."""
        # The person first: one out of the caller's sight answers as one that does not exist,
        # whatever the destination.
        kept = await self.kept(caller, command.person_id)
        target = await self.orgtree.get(command.to_org_id)
        if target is None or target.status != "active":
            raise InvalidInput("transfer.destination_unknown", id=str(command.to_org_id))
        principal = caller.principal
        visible = await scope.in_scope(self.orgtree, principal, target) or (
            await scope.above_scope(self.orgtree, principal, target)
        )
        name = target.name if visible else None
        rules = await self.rules(kept.branch, command.sent_on)
        return await self.change_person(
            caller,
            kept,
            rules.policy,
            lambda p: p.send_transfer(target.id, name, command.sent_on, command.letter, rules),
        )

    async def accept_transfer(self, command: AcceptTransfer, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.on,
            lambda p, r: p.accept_transfer(command.on, r),
            receiving=True,
        )

    async def return_transfer(self, command: ReturnTransfer, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.on,
            lambda p, r: p.return_transfer(command.on, command.why, r),
            receiving=True,
        )

    async def postpone_conversion(self, command: PostponeConversion, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.on,
            lambda p, r: p.postpone_conversion(command.on, command.months, command.why, r),
        )

    async def register_outflow(self, command: RegisterOutflow, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.left_on,
            lambda p, r: p.register_outflow(
                command.left_on, command.destination, command.certificate, r
            ),
        )

    async def record_outflow_contact(self, command: RecordOutflowContact, caller: Caller) -> Person:
        return await self.act_on(
            caller, command, command.on, lambda p, r: p.record_outflow_contact(command.on, r)
        )

    async def end_outflow(self, command: EndOutflow, caller: Caller) -> Person:
        return await self.act_on(
            caller, command, command.on, lambda p, r: p.end_outflow(command.on, r)
        )
