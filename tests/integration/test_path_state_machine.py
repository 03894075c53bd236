"""Random sequences of commands on a person: the stage never skips, an accepted command is
exactly one event (a refused one none), and the read model equals a replay of the events."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule
from sqlalchemy import select

from jiceng.errors import JicengError
from jiceng.eventlog import EventMeta
from jiceng.eventlog.records import read_page
from jiceng.eventlog.storage import Storage
from jiceng.followers.reacting import Changes
from jiceng.readmodel.database import ReadModelDatabase
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain.development import StepInput
from member_lifecycle.domain.evidence import Vote
from member_lifecycle.domain.membership import CATEGORIES
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import (
    COUNTED_STAGES,
    ConversionOutcome,
    ExitKind,
    NoticePoint,
    Stage,
)
from member_lifecycle.domain.stages import PATH as STAGES
from member_lifecycle.domain.step_input import (
    AdmissionVote,
    Approval,
    ConversionVote,
    Death,
    ExitStatement,
    NamedMembers,
    Training,
)
from member_lifecycle.projections.people import PeopleProjection, deadlines, people
from member_lifecycle.reactions import count_people
from path_support import BRANCH, PATH, SEALER, person, rules

META = EventMeta(actor="test")
OTHER = UUID(int=99)
FAR = date(2040, 1, 1)
ORDER = {stage.value: i for i, stage in enumerate(STAGES)}


def spoil(given: StepInput) -> StepInput:
    """The same step with evidence the rules refuse (where its input has any to spoil)."""
    fields: dict[str, Any] = {}
    if isinstance(given, NamedMembers):
        fields["members"] = ()
    if isinstance(given, AdmissionVote | ConversionVote):
        fields["vote"] = Vote(entitled=16, present=8, in_favour=8)
    if isinstance(given, ConversionVote):
        fields.update(outcome=ConversionOutcome.EXTEND, extension_months=3)
    if isinstance(given, Approval):
        fields["approver"] = replace(given.approver, may_approve=False)
    if isinstance(given, Training):
        fields.update(days=0, hours=0)
    return replace(given, **fields)


async def fold(app: MemberLifecycle) -> tuple[dict[str, Any], dict[tuple[str, str], date]]:
    db = ReadModelDatabase(Storage.memory("member-lifecycle"), [PeopleProjection.metadata])
    await db.create_all()
    projection = PeopleProjection(SEALER)
    try:
        async with db.engine.begin() as conn:
            for event in read_page(app, after=0, limit=100_000).events:
                await projection.handle(conn, event)
        async with db.engine.connect() as conn:
            rows = {r.id: r for r in (await conn.execute(select(people))).all()}
            due = {
                (r.person_id, r.kind): r.due_on
                for r in (await conn.execute(select(deadlines))).all()
            }
        return rows, due
    finally:
        await db.dispose()


class PersonOnThePath(RuleBasedStateMachine):
    @initialize()
    def register(self) -> None:
        self.app = MemberLifecycle(Storage.memory("member-lifecycle"))
        candidate = person()
        self.app.save(candidate, meta=META)
        self.id: UUID = candidate.id
        self.clock = date(2020, 1, 1)
        self.accepted = 0

    def _run(self, command: Any) -> None:
        before = self.app.person(self.id)
        head = self.app.recorder.max_notification_id() or 0
        try:
            person = self.app.person(self.id)
            command(person)
            self.app.save(person, meta=META)
        except JicengError:
            assert self.app.recorder.max_notification_id() == head
            assert self.app.person(self.id).version == before.version
            return
        after = self.app.person(self.id)
        assert self.app.recorder.max_notification_id() == head + 1
        assert after.version == before.version + 1
        self.accepted += 1
        if after.stage != before.stage and after.stage != Stage.EXITED:
            old = ORDER.get(before.stage, -1)
            assert ORDER[after.stage] in (old + 1, 0), (before.stage, after.stage)

    @rule(
        index=st.integers(0, len(PATH) - 1),
        days=st.integers(0, 400),
        spoilt=st.booleans(),
    )
    def take_a_step(self, index: int, days: int, spoilt: bool) -> None:
        self.clock += timedelta(days=days)
        step, given = PATH[index]
        given = replace(given, on=self.clock)
        if spoilt:
            given = spoil(given)
        self._run(lambda p: p.take_step(step, given, rules(today=FAR, on=self.clock)))

    @rule(days=st.integers(0, 150), count=st.integers(1, 8))
    def take_the_next_steps(self, days: int, count: int) -> None:
        """The next steps of the path, with good evidence: walks far along it."""
        for _ in range(count):
            self.clock += timedelta(days=days)
            done = self.app.person(self.id).steps
            pending = [(s, g) for s, g in PATH if s not in done]
            if not pending:
                return
            step, given = pending[0]
            given = replace(given, on=self.clock)
            self._run(lambda p, s=step, g=given: p.take_step(s, g, rules(today=FAR, on=self.clock)))
        event(f"stage {self.app.person(self.id).stage}")

    @rule(days=st.integers(0, 300), action=st.sampled_from(["lost", "suspend", "restore"]))
    def standing(self, days: int, action: str) -> None:
        self.clock += timedelta(days=days)
        on, r = self.clock, rules(today=FAR, on=self.clock)

        def act(p: Person) -> None:
            if action == "lost":
                p.report_lost_contact(on, r)
            elif action == "suspend":
                p.suspend(on, "党委", r)
            else:
                p.restore(on, r)

        self._run(act)

    @rule(days=st.integers(0, 60), accept=st.booleans())
    def transfer(self, days: int, accept: bool) -> None:
        """Send the record to the other branch, or accept (or return) a pending transfer."""
        self.clock += timedelta(days=days)
        on, r = self.clock, rules(today=FAR, on=self.clock)

        def act(p: Person) -> None:
            if p.transfer is None:
                target = OTHER if p.branch_id != OTHER else BRANCH
                p.send_transfer(target, "乙", on, "L", r)
            elif accept:
                p.accept_transfer(on, r)
            else:
                p.return_transfer(on, "退回", r)

        self._run(act)

    @rule(days=st.integers(0, 30), point=st.sampled_from(NoticePoint), objection=st.integers(0, 2))
    def public_notice(self, days: int, point: NoticePoint, objection: int) -> None:
        """Hold a 公示, object to it, or conclude an objection (upheld or dismissed)."""
        self.clock += timedelta(days=days)
        on, r = self.clock, rules(today=FAR, on=self.clock)

        def act(p: Person) -> None:
            if objection == 0:
                p.hold_notice(point, on, 5, r)
            elif objection == 1:
                p.receive_objection(point, on, "反映")
            else:
                p.conclude_objection(point, on, upheld=days % 2 == 0, conclusion="结论")

        self._run(act)

    @rule(kind=st.sampled_from([ExitKind.DECEASED, ExitKind.WITHDRAWAL]), dice=st.integers(0, 11))
    def leave(self, kind: ExitKind, dice: int) -> None:
        if dice:  # rarely: an exit ends the walk
            return
        given = (
            ExitStatement(self.clock, summary="申请", body="支部大会")
            if kind is ExitKind.WITHDRAWAL
            else Death(self.clock, body="支部大会")
        )
        self._run(lambda p: p.leave(kind, given, rules(today=FAR, on=self.clock)))

    def teardown(self) -> None:
        if not hasattr(self, "app"):
            return
        rows, due = asyncio.run(fold(self.app))
        replayed = self.app.person(self.id)
        row = rows[str(self.id)]
        assert row.version == replayed.version == self.accepted + 1
        assert row.stage == replayed.stage
        assert row.branch_id == str(replayed.branch_id)
        assert row.transfer_to == (replayed.transfer or {}).get("to_id")
        assert row.standing == replayed.standing
        assert row.exit_kind == replayed.exit_kind
        for name in (
            "applied_on",
            "activist_since",
            "candidate_since",
            "admitted_on",
            "probation_ends_on",
            "formal_since",
            "exited_on",
        ):
            assert getattr(row, name) == getattr(replayed, name), name
        assert due == {(str(self.id), kind): day for kind, day in replayed.due.items()}
        self._counts_follow(replayed)

    def _counts_follow(self, replayed: Person) -> None:
        """The counting reaction, run over the log, counts the person where they are now."""
        for recorded in read_page(self.app, after=0, limit=100_000).events:
            changes = Changes(self.app)
            count_people(recorded, changes)
            if changes.aggregates:
                self.app.save(*changes.aggregates, meta=META)
        category = COUNTED_STAGES.get(Stage.of(replayed.stage))
        for branch in (BRANCH, OTHER):
            membership = self.app.membership(branch)
            counted = {c: getattr(membership, c, 0) for c in CATEGORIES}
            expected = dict.fromkeys(CATEGORIES, 0)
            if category is not None and branch == replayed.branch_id:
                expected[category] = 1
            assert counted == expected, (branch, replayed.stage)


PersonOnThePath.TestCase.settings = settings(
    max_examples=80,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_person_on_the_path = PersonOnThePath.TestCase
