"""Import a member roster (党员花名册导入): register each person, record their history.

A new person is registered, then, by category, their membership (正式/预备党员: the 入党 and
转正 dates, nothing of the 25 steps invented) or their application (入党申请人). A person
already on the register is compared, never moved: another branch is reported, a profile
that differs is corrected (``Person.ProfileRevised``), a history that differs is reported.
Every event names the row it came from (file, sheet, row, the file's SHA-256).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any
from uuid import UUID

import anyio
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from jiceng.auth.principal import Principal
from jiceng.calendar import WorkingDayCalendar
from jiceng.commands import log_of
from jiceng.errors import JicengError
from jiceng.eventlog import EventMeta
from jiceng.orgtree.queries import OrgNode
from jiceng.personal import PersonalDataSealer, sealer_for
from jiceng.policy import Policy
from jiceng.runtime import ServiceRuntime
from jiceng.sheets.cells import CellError
from jiceng.sheets.importing import Action, Origin, Planned
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetRow
from jiceng.sheets.report import Report
from jiceng.sheets.staging import StagedWrites, commit_staged
from jiceng.workingdays.queries import working_day_calendar
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.identity import encoded_gender
from member_lifecycle.domain.person import Person, person_id
from member_lifecycle.domain.stages import Stage
from member_lifecycle.imports_history import (
    check_same_history,
    column_of,
    decided_on,
    record_history,
)
from member_lifecycle.imports_rows import (
    Branches,
    PersonRow,
    RowRefused,
    read_row,
)
from member_lifecycle.imports_rows import refused as refused_problem
from member_lifecycle.projections.people import people

#: Reads of the register tried while the database is busy.
BUSY_ATTEMPTS = 5


def default_mapping() -> Mapping:
    text = resources.files("member_lifecycle").joinpath("sheets/people.toml").read_text("utf-8")
    return Mapping.parse(text)


@dataclass(frozen=True)
class Checked:
    """A row's person, with the pending events writing it will save."""

    person: Person
    pack: str


class PeopleImporter:
    """The :class:`~jiceng.sheets.importing.Importer` of member rosters."""

    #: people written per transaction (fewer on an embedded SQLite file, whose one writer
    #: at a time holds the lock while the batch commits)
    batch_size = 500

    def __init__(
        self,
        runtime: ServiceRuntime,
        principal: Principal,
        scope: OrgNode | None,
        meta: EventMeta,
        mapping: Mapping | None = None,
    ) -> None:
        """``scope``: the subtree ``principal`` may place people in (``None``: all), as the
        caller decided it."""
        self.runtime, self.scope, self.meta = runtime, scope, meta
        self.messages = runtime.messages
        if runtime.storage.kind == "sqlite":
            self.batch_size = 200
        self.mapping = mapping.over(default_mapping()) if mapping else default_mapping()
        self.log = log_of(runtime, MemberLifecycle)
        self.sealer: PersonalDataSealer = sealer_for(runtime.settings)
        self._seen: dict[str, int] = {}
        self._ready: tuple[Branches, Callable[[OrgNode, date], Policy], WorkingDayCalendar] | None
        self._ready = None
        #: the log's position after the last batch written (for read-your-writes)
        self.last_position = 0
        self._staged = StagedWrites()

    def start(self) -> None:
        self._seen = {}
        self._staged.close()

    async def _prepare(self) -> tuple[Branches, Callable[[OrgNode, date], Policy], Any]:
        if self._ready is None:
            tree = self.runtime.orgtree
            branches = Branches(await tree.in_subtree_of(self.scope))
            self._ready = (
                branches,
                await tree.pack_chooser(),
                await working_day_calendar(self.runtime.db),
            )
        return self._ready

    async def check(self, rows: Sequence[tuple[SheetRow, Origin]], report: Report) -> list[Planned]:
        branches, choose, calendar = await self._prepare()
        read: list[tuple[SheetRow, Origin, PersonRow]] = []
        for row, origin in rows:
            try:
                person_row = read_row(row, self.mapping, branches)
            except RowRefused as refusal:
                for problem in refusal.problems:
                    report.refuse(problem)
                if refusal.resident_id:
                    self._seen.setdefault(refusal.resident_id, row.number)
                continue
            first = self._seen.setdefault(person_row.resident_id, row.number)
            if first != row.number:
                error = CellError("sheet.duplicate_row", first_row=first)
                report.refuse(refused_problem(row, "resident_id", error))
                continue
            read.append((row, origin, person_row))
        ids = [str(person_id(self.sealer, r.resident_id)) for _, _, r in read]
        known = await self._registered(ids)
        today_ = self.runtime.clock()

        def plan_all() -> list[Planned]:
            planned = []
            for (row, origin, person_row), pid in zip(read, ids, strict=True):
                policy = choose(person_row.branch, decided_on(person_row, today_))
                rules = Rules(policy, calendar, today_, self.sealer)
                try:
                    found = self._plan(
                        person_row, origin, rules, UUID(pid) if pid in known else None
                    )
                except JicengError as error:
                    report.refuse(refused_problem(row, column_of(error, person_row), error))
                    continue
                planned.append(found)
            return planned

        return await anyio.to_thread.run_sync(plan_all)

    async def _registered(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are on the register (retried while the database is busy)."""
        query = select(people.c.id).where(people.c.id.in_(ids))
        for attempt in range(BUSY_ATTEMPTS):
            try:
                async with self.runtime.db.engine.connect() as conn:
                    return {str(i) for i in (await conn.execute(query)).scalars()}
            except OperationalError:
                if attempt == BUSY_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(1)
        return set()  # pragma: no cover - the loop returns or raises

    def _plan(self, row: PersonRow, origin: Origin, rules: Rules, known: UUID | None) -> Planned:
        source = origin.as_dict()
        if known is None:
            person = Person.register(
                sealer=self.sealer,
                today=rules.today,
                name=row.name,
                gender=row.gender or encoded_gender(row.resident_id),
                ethnicity=row.ethnicity,
                resident_id=row.resident_id,
                branch_id=row.branch.id,
                birth_date=row.birth_date,
                phone=row.phone,
                education=row.education,
                occupation=row.occupation,
                work_unit=row.work_unit,
                source=source,
            )
            record_history(person, row, origin, rules)
            return Planned(origin, Action.NEW, Checked(person, rules.policy.ref))
        person = self.log.person(known)
        if person.branch_id != row.branch.id:
            branches, _, _ = self._ready or (None, None, None)
            if branches is not None and branches.holds(person.branch_id):
                raise JicengError("import.registered_elsewhere")
            # Outside the importer's subtree: exactly what registering them answers
            # (one record per 身份证号), nothing of where.
            raise JicengError("person.already_registered")
        person.revise_profile(
            sealer=self.sealer,
            source=source,
            name=row.name,
            ethnicity=row.ethnicity,
            phone=row.phone,
            education=row.education,
            occupation=row.occupation,
            work_unit=row.work_unit,
        )
        if person.stage == Stage.REGISTERED:
            record_history(person, row, origin, rules)
        else:
            check_same_history(person, row)
        changed = bool(person.pending_events)
        action = Action.CHANGED if changed else Action.UNCHANGED
        return Planned(origin, action, Checked(person, rules.policy.ref))

    async def stage(self, planned: Sequence[Planned]) -> None:
        """Keep the batch's events as they will be stored, each naming the pack that
        decided it (the people themselves are not kept)."""

        def prepare() -> None:
            self._staged.add(
                [
                    (
                        p.origin,
                        self.log.prepare(p.record.person, meta=self.meta.with_pack(p.record.pack)),
                    )
                    for p in planned
                ]
            )

        await anyio.to_thread.run_sync(prepare)

    async def commit(self, report: Report) -> int:
        """Store the staged batches, one transaction each (see :func:`commit_staged`)."""
        try:
            written, head = await anyio.to_thread.run_sync(
                commit_staged, self.log, self._staged, report
            )
        finally:
            self._staged.close()
        self.last_position = max(self.last_position, head)
        return written

    def discard(self) -> None:
        self._staged.close()
