"""A person's commands on the path (发展党员): the 25 steps, 公示 and objections, exits, and
members admitted before the system. Each checks its rule and records one event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from member_lifecycle.domain import exits, notices
from member_lifecycle.domain.action_evidence import (
    ExitEvidence,
    ImportedMembership,
    MobilityEvidence,
    NoticeEvidence,
    StandingEvidence,
    TransferEvidence,
)
from member_lifecycle.domain.changes import (
    NoticeState,
    OutflowState,
    PersonChanges,
    Recorded,
    RectificationState,
    RowOrigin,
    TransferState,
)
from member_lifecycle.domain.decision import Decision, PersonState, Rules
from member_lifecycle.domain.development import decide
from member_lifecycle.domain.stages import ExitKind, NoticePoint, Stage, Step
from member_lifecycle.domain.step_evidence import StepEvidence
from member_lifecycle.domain.step_input import ExitInput, StepInput


class PersonRecorder(PersonState, Protocol):
    """What the commands need of a person: its state, and recording one event of a kind."""

    def _record(
        self,
        trigger: Callable[..., None],
        on: date,
        d: Decision[Recorded],
        origin: RowOrigin | None = None,
        **names: str,
    ) -> None: ...

    def _step_recorded(
        self, step: str, on: date, evidence: StepEvidence, changes: PersonChanges
    ) -> None: ...
    def _notice_recorded(
        self, action: str, on: date, evidence: NoticeEvidence, changes: PersonChanges
    ) -> None: ...
    def _membership_imported(
        self, on: date, evidence: ImportedMembership, changes: PersonChanges
    ) -> None: ...
    def _exited(
        self, kind: str, on: date, evidence: ExitEvidence, changes: PersonChanges
    ) -> None: ...
    def _transfer(self, action: str, on: date, d: Decision[TransferEvidence]) -> None: ...
    def _mobility(self, action: str, on: date, d: Decision[MobilityEvidence]) -> None: ...
    def _standing(self, action: str, on: date, d: Decision[StandingEvidence]) -> None: ...


class PathState:
    """What a person's path and membership hold (the attributes ``changes.PersonChanges``
    names: the events set them), before the first application."""

    def _start_record(self) -> None:
        """The state of the path before the first application."""
        self.stage: str = Stage.REGISTERED.value
        self.cycle = 0
        self.steps: dict[str, date] = {}
        self.due: dict[str, date] = {}
        self.notices: dict[str, NoticeState] = {}
        self.applied_on: date | None = None
        self.activist_since: date | None = None
        self.candidate_since: date | None = None
        self.admission_vote_on: date | None = None
        self.admitted_on: date | None = None
        self.membership_since: date | None = None
        self.probation_ends_on: date | None = None
        self.formal_since: date | None = None
        self.extensions = 0
        self.political_review_passed: bool | None = None
        self.committee_review_passed: bool | None = None
        self.pre_review_passed: bool | None = None
        self.training_days = 0.0
        self.training_hours = 0.0
        self.conversion_outcome: str | None = None
        self.conversion_extension_months: int | None = None
        self.conversion_vote_on: date | None = None
        self.standing = "good"
        self.lost_contact_since: date | None = None
        self.suspended_on: date | None = None
        self.transfer: TransferState | None = None
        self.outflow: OutflowState | None = None
        self.rectification: RectificationState | None = None
        self.party_probation_until: date | None = None
        self.exit_kind: str | None = None
        self.transferred_in_on: date | None = None
        self.conversion_postponed_months: int | None = None
        self.exited_on: date | None = None


class PathCommands(PathState):
    """The path's commands of :class:`.person.Person` (a mixin: the events are the person's)."""

    def take_step(
        self: PersonRecorder,
        step: Step,
        given: StepInput,
        rules: Rules,
        origin: RowOrigin | None = None,
    ) -> None:
        """One of the 25 steps, with the input its rule takes (see ``development.RULES``),
        checked against the pack in force and the calendar; ``origin`` names the imported row
        the step came from."""
        decision = decide(self, step, given, rules)
        self._record(self._step_recorded, given.on, decision, origin, step=step.value)

    def hold_notice(
        self: PersonRecorder, point: NoticePoint, starts_on: date, days: int, rules: Rules
    ) -> None:
        """Start a 公示 of ``days`` working days (at least the pack's)."""
        d = notices.start(self, point, starts_on, days, rules)
        self._record(self._notice_recorded, starts_on, d, action="started")

    def receive_objection(
        self: PersonRecorder, point: NoticePoint, received_on: date, summary: str
    ) -> None:
        """An objection during the 公示: the decision waits until it is concluded."""
        d = notices.object_to(self, point, received_on, summary)
        self._record(self._notice_recorded, received_on, d, action="objection")

    def conclude_objection(
        self: PersonRecorder, point: NoticePoint, concluded_on: date, upheld: bool, conclusion: str
    ) -> None:
        """Upheld, the 公示 fails; dismissed, it resumes."""
        d = notices.conclude(self, point, concluded_on, upheld, conclusion)
        action = "objection_upheld" if upheld else "objection_dismissed"
        self._record(self._notice_recorded, concluded_on, d, action=action)

    def import_membership(
        self: PersonRecorder,
        stage: Stage,
        admitted_on: date,
        formal_since: date | None,
        source: str,
        rules: Rules,
        origin: RowOrigin | None = None,
        applied_on: date | None = None,
    ) -> None:
        """A member admitted before the system: their stage and dates, no invented steps."""
        d = exits.import_membership(
            self, stage, admitted_on, formal_since, source, rules, origin, applied_on
        )
        self._record(self._membership_imported, admitted_on, d)

    def leave(self: PersonRecorder, kind: ExitKind, given: ExitInput, rules: Rules) -> None:
        """An exit of ``kind``, with the input that kind takes (``exits.EXIT_INPUTS``)."""
        d = exits.leave(self, kind, given, rules)
        self._record(self._exited, given.on, d, kind=kind.value)
