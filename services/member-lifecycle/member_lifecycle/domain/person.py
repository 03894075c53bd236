"""A person on the register (人员): identity and profile, personal data sealed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from jiceng.ids import resident_id_birth_date
from jiceng.personal import PersonalDataSealer, mask_phone, mask_resident_id
from member_lifecycle.domain.action_evidence import (
    ExitEvidence,
    ImportedMembership,
    MobilityEvidence,
    NoticeEvidence,
    StandingEvidence,
    TransferEvidence,
)
from member_lifecycle.domain.changes import (
    PersonChanges,
    Recorded,
    RowOrigin,
    apply_changes,
)
from member_lifecycle.domain.decision import Decision
from member_lifecycle.domain.evidence import MemberStanding
from member_lifecycle.domain.identity import (
    GENDER_LABELS,
    PROFILE_FIELDS,
    Gender,
    check_identity,
    profile_changes,
    shorten_masks,
)
from member_lifecycle.domain.person_membership import MembershipCommands
from member_lifecycle.domain.person_path import PathCommands
from member_lifecycle.domain.stages import Stage
from member_lifecycle.domain.step_evidence import StepEvidence

__all__ = ["GENDER_LABELS", "PROFILE_FIELDS", "Gender", "Person", "person_id", "shorten_masks"]


def person_id(sealer: PersonalDataSealer, resident_id: str) -> UUID:
    """One person per 身份证号: the id derives from a keyed hash of the number."""
    return Person.create_id(sealer.fingerprint("resident_id", resident_id))


class Person(PathCommands, MembershipCommands, Aggregate):
    """人员: who the person is and which branch keeps their record.

    Every command on the path and the membership checks its rule (the pack, the calendar
    and the dates given as arguments) and records exactly one typed event: the path's in
    :class:`.person_path.PathCommands`, those after admission in
    :class:`.person_membership.MembershipCommands`.
    """

    @staticmethod
    def create_id(fingerprint: str) -> UUID:
        return UUID(fingerprint[:32])

    class Registered(Aggregate.Created):
        """登记: who the person is; the 身份证号 and phone sealed, their masks, no birth date.

        Version 1 also carried the birth date in clear and masks that kept the region code
        and seven phone digits: together they gave the whole number back. Loading such an
        event drops the date and shortens the masks. Version 3 names the ``source`` of an
        imported person (file, sheet, row, the file's SHA-256); earlier ones had none.
        """

        class_version = 3

        fingerprint: str
        name: str
        gender: Gender
        ethnicity: str
        resident_id_sealed: str
        resident_id_masked: str
        phone_sealed: str | None
        phone_masked: str | None
        education: str | None
        occupation: str | None
        work_unit: str | None
        branch_id: UUID
        source: dict[str, Any] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.pop("birth_date", None)
            shorten_masks(state)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["source"] = None

    class ProfileRevised(Aggregate.Event):
        """档案更正: the profile fields that changed (``None``: unchanged), and where the
        correction came from (an imported row names its file, sheet, row and digest)."""

        name: str | None
        ethnicity: str | None
        phone_sealed: str | None
        phone_masked: str | None
        education: str | None
        occupation: str | None
        work_unit: str | None
        source: dict[str, Any] | None

        def apply(self, aggregate: Aggregate) -> None:
            for field in PROFILE_FIELDS:
                value = getattr(self, field)
                if value is not None:
                    setattr(aggregate, field, value)

    @event(Registered)
    def __init__(
        self,
        fingerprint: str,
        name: str,
        gender: Gender,
        ethnicity: str,
        resident_id_sealed: str,
        resident_id_masked: str,
        phone_sealed: str | None,
        phone_masked: str | None,
        education: str | None,
        occupation: str | None,
        work_unit: str | None,
        branch_id: UUID,
        source: dict[str, Any] | None = None,
    ) -> None:
        self.fingerprint = fingerprint
        self.name, self.gender, self.ethnicity = name, Gender(gender), ethnicity
        self.resident_id_sealed, self.resident_id_masked = resident_id_sealed, resident_id_masked
        self.phone_sealed, self.phone_masked = phone_sealed, phone_masked
        self.education, self.occupation, self.work_unit = education, occupation, work_unit
        self.branch_id = branch_id
        self._start_record()

    def birth_date(self, sealer: PersonalDataSealer) -> date:
        """The birth date the sealed 身份证号 encodes (never stored apart from it)."""
        return resident_id_birth_date(sealer.open("resident_id", self.resident_id_sealed))

    @classmethod
    def register(
        cls,
        *,
        sealer: PersonalDataSealer,
        today: date,
        name: str,
        gender: Gender,
        ethnicity: str,
        resident_id: str,
        branch_id: UUID,
        birth_date: date | None = None,
        phone: str | None = None,
        education: str | None = None,
        occupation: str | None = None,
        work_unit: str | None = None,
        source: dict[str, Any] | None = None,
    ) -> Person:
        """Put a person on the register; ``source`` names the row of an imported file."""
        number = check_identity(
            resident_id,
            today=today,
            birth_date=birth_date,
            gender=gender,
            name=name,
            ethnicity=ethnicity,
        )
        return cls(
            fingerprint=sealer.fingerprint("resident_id", number),
            name=name.strip(),
            gender=gender,
            ethnicity=ethnicity,
            resident_id_sealed=sealer.seal("resident_id", number),
            resident_id_masked=mask_resident_id(number),
            phone_sealed=sealer.seal("phone", phone) if phone else None,
            phone_masked=mask_phone(phone) if phone else None,
            education=education,
            occupation=occupation,
            work_unit=work_unit,
            branch_id=branch_id,
            source=source,
        )

    def revise_profile(
        self, *, sealer: PersonalDataSealer, source: dict[str, Any] | None, **given: str | None
    ) -> bool:
        """Correct the profile (name, ethnicity, phone, education, occupation, work unit) with
        what differs from the record (``None``: not given, kept); whether it did.

        The 身份证号, gender and branch are not profile: a person is one number, and a move
        between branches is a transfer.
        """
        changed = profile_changes(self, sealer, given)
        if all(value is None for value in changed.values()):
            return False
        self.trigger_event(self.ProfileRevised, source=source, **changed)
        return True

    # The path's commands are in PathCommands and MembershipCommands; here is what they
    # share: how another step sees this person, and recording one event.

    def standing_on(self, day: date) -> MemberStanding:
        """How this person counts when another person's step names them."""
        good = (
            self.stage in (Stage.FORMAL, Stage.PROBATIONARY)
            and self.standing == "good"
            and (self.party_probation_until is None or self.party_probation_until < day)
        )
        return MemberStanding(self.id, self.name, self.stage, good)

    def _record(
        self,
        trigger: Callable[..., None],
        on: date,
        d: Decision[Recorded],
        origin: RowOrigin | None = None,
        **names: str,
    ) -> None:
        """Trigger one event recording ``d``; a change of stage or branch also names where the
        person was (``evidence.before``): followers count from it."""
        evidence = d.evidence.copy()
        if origin is not None:
            evidence["origin"] = origin
        if "stage" in d.changes or "branch_id" in d.changes:
            evidence["before"] = {"stage": self.stage, "branch_id": str(self.branch_id)}
        trigger(on=on, evidence=evidence, changes=d.changes, **names)

    def _transfer(self, action: str, on: date, d: Decision[TransferEvidence]) -> None:
        self._record(self._transfer_recorded, on, d, action=action)

    def _mobility(self, action: str, on: date, d: Decision[MobilityEvidence]) -> None:
        self._record(self._mobility_recorded, on, d, action=action)

    def _standing(self, action: str, on: date, d: Decision[StandingEvidence]) -> None:
        self._record(self._standing_recorded, on, d, action=action)

    # The events: what each records is typed (``*_evidence``, ``changes``); replaying one
    # sets the attributes its ``changes`` names, and only those.

    @event("StepRecorded")
    def _step_recorded(
        self, step: str, on: date, evidence: StepEvidence, changes: PersonChanges
    ) -> None:
        apply_changes(self, changes)

    @event("NoticeRecorded")
    def _notice_recorded(
        self, action: str, on: date, evidence: NoticeEvidence, changes: PersonChanges
    ) -> None:
        apply_changes(self, changes)

    @event("TransferRecorded")
    def _transfer_recorded(
        self, action: str, on: date, evidence: TransferEvidence, changes: PersonChanges
    ) -> None:
        apply_changes(self, changes)

    @event("MobilityRecorded")
    def _mobility_recorded(
        self, action: str, on: date, evidence: MobilityEvidence, changes: PersonChanges
    ) -> None:
        apply_changes(self, changes)

    @event("StandingRecorded")
    def _standing_recorded(
        self, action: str, on: date, evidence: StandingEvidence, changes: PersonChanges
    ) -> None:
        apply_changes(self, changes)

    @event("MembershipImported")
    def _membership_imported(
        self, on: date, evidence: ImportedMembership, changes: PersonChanges
    ) -> None:
        apply_changes(self, changes)

    @event("Exited")
    def _exited(self, kind: str, on: date, evidence: ExitEvidence, changes: PersonChanges) -> None:
        apply_changes(self, changes)
