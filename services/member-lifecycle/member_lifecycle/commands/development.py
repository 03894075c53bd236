"""The 25 steps of 发展党员, 公示 and objections: commands and their handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jiceng.commands import Caller
from member_lifecycle.commands.base import LifecycleHandlers, PersonCommand
from member_lifecycle.commands.evidence import Naming, resolve
from member_lifecycle.commands.step_inputs import StepFields, step_input
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import NoticePoint, Step


@dataclass(frozen=True)
class TakeStep(PersonCommand):
    """Record one of the 25 steps, on ``fields.on``, with the evidence the request gives."""

    step: Step
    fields: StepFields
    naming: Naming = field(default_factory=Naming)


@dataclass(frozen=True)
class HoldNotice(PersonCommand):
    """Start a 公示 (``working_days`` None: the pack's minimum)."""

    point: NoticePoint
    starts_on: date
    working_days: int | None


@dataclass(frozen=True)
class ReceiveObjection(PersonCommand):
    point: NoticePoint
    received_on: date
    summary: str


@dataclass(frozen=True)
class ConcludeObjection(PersonCommand):
    point: NoticePoint
    concluded_on: date
    upheld: bool
    conclusion: str


class DevelopmentHandlers(LifecycleHandlers):
    async def take_step(self, command: TakeStep, caller: Caller) -> Person:
        """Scope, the named members, vote and approver, the typed input, the rules in force on
        the step's date; then the person takes the step (one worker-thread call)."""
        on = command.fields.on
        kept = await self.kept(caller, command.person_id)
        named = await resolve(
            self.runtime.db, self.orgtree, caller.principal, kept.branch, on, command.naming
        )
        given = step_input(command.step, command.fields, named)
        rules = await self.rules(kept.branch, on)
        return await self.change_person(
            caller,
            kept,
            rules.policy,
            lambda person: person.take_step(command.step, given, rules),
        )

    async def hold_notice(self, command: HoldNotice, caller: Caller) -> Person:
        def hold(person: Person, rules: Rules) -> None:
            minimum = rules.policy.value("development.public_notice_working_days")
            days = command.working_days or minimum
            person.hold_notice(command.point, command.starts_on, days, rules)

        return await self.act_on(caller, command, command.starts_on, hold)

    async def receive_objection(self, command: ReceiveObjection, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.received_on,
            lambda person, _: person.receive_objection(
                command.point, command.received_on, command.summary
            ),
        )

    async def conclude_objection(self, command: ConcludeObjection, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.concluded_on,
            lambda person, _: person.conclude_objection(
                command.point, command.concluded_on, command.upheld, command.conclusion
            ),
        )
