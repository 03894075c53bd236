"""The ways out, and members admitted before the system (commands and their handlers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jiceng.commands import Caller
from member_lifecycle.commands.base import LifecycleHandlers, PersonCommand
from member_lifecycle.commands.evidence import Naming, resolve
from member_lifecycle.commands.step_inputs import StepFields, exit_input
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import ExitKind, Stage


@dataclass(frozen=True)
class RecordExit(PersonCommand):
    """退党, 自行脱党, 劝退, 除名, 开除党籍 or death, with what the request gives."""

    kind: ExitKind
    fields: StepFields
    naming: Naming = field(default_factory=Naming)


@dataclass(frozen=True)
class ImportMembership(PersonCommand):
    """A member admitted before the system (历史党员信息采集)."""

    stage: Stage
    admitted_on: date
    formal_since: date | None
    source: str


class ExitHandlers(LifecycleHandlers):
    async def record_exit(self, command: RecordExit, caller: Caller) -> Person:
        on = command.fields.on
        kept = await self.kept(caller, command.person_id)
        named = await resolve(
            self.runtime.db, self.orgtree, caller.principal, kept.branch, on, command.naming
        )
        given = exit_input(command.kind, command.fields, named)
        rules = await self.rules(kept.branch, on)
        return await self.change_person(
            caller,
            kept,
            rules.policy,
            lambda person: person.leave(command.kind, given, rules),
        )

    async def import_membership(self, command: ImportMembership, caller: Caller) -> Person:
        return await self.act_on(
            caller,
            command,
            command.admitted_on,
            lambda p, r: p.import_membership(
                command.stage, command.admitted_on, command.formal_since, command.source, r
            ),
        )
