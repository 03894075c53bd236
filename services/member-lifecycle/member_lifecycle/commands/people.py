"""The register: putting a person on it, and recording who saw their whole personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from jiceng.commands import Caller
from jiceng.errors import Conflict, StaleVersion
from member_lifecycle.commands.base import LifecycleHandlers
from member_lifecycle.commands.evidence import in_sight
from member_lifecycle.domain.disclosure import DisclosedField, Disclosure
from member_lifecycle.domain.person import Gender, Person


@dataclass(frozen=True)
class RegisterPerson:
    """Put a person on the register of ``branch_id`` (one record per 身份证号)."""

    branch_id: UUID
    name: str
    gender: Gender
    ethnicity: str
    resident_id: str
    birth_date: date | None = None  # checked against the number
    phone: str | None = None
    education: str | None = None
    occupation: str | None = None
    work_unit: str | None = None


@dataclass(frozen=True)
class RecordDisclosure:
    """Someone is about to see a person's whole personal data: who, which fields, why."""

    person_id: UUID
    phone_recorded: bool  # the phone is disclosed with the number where there is one
    purpose: str


class PeopleHandlers(LifecycleHandlers):
    async def register_person(self, command: RegisterPerson, caller: Caller) -> Person:
        """Put the person on the register. A person already there is a conflict; the caller
        learns where only when the record is theirs to read."""
        c = command
        await self.visible(caller, c.branch_id)
        person = Person.register(
            sealer=self.sealer,
            today=self.today,
            name=c.name,
            gender=c.gender,
            ethnicity=c.ethnicity,
            resident_id=c.resident_id,
            birth_date=c.birth_date,
            phone=c.phone,
            education=c.education,
            occupation=c.occupation,
            work_unit=c.work_unit,
            branch_id=c.branch_id,
        )
        try:
            return await self.create(caller, lambda: person)
        except StaleVersion:
            existing = await self.read(lambda: self.log.person(person.id))
            pending = existing.transfer["to_id"] if existing.transfer else None
            if await in_sight(self.orgtree, caller.principal, (str(existing.branch_id), pending)):
                raise Conflict("person.already_registered", id=str(existing.id)) from None
            raise Conflict("person.already_registered") from None

    async def record_disclosure(self, command: RecordDisclosure, caller: Caller) -> Disclosure:
        """The reveal is an event (who, when, whose data, which fields, why: the caller gives
        the purpose as its reason) before it is shown."""
        fields = [DisclosedField.RESIDENT_ID, DisclosedField.BIRTH_DATE]
        if command.phone_recorded:
            fields.append(DisclosedField.PHONE)
        return await self.create(
            caller, lambda: Disclosure.record(command.person_id, fields, command.purpose)
        )
