"""A person on the register (人员): identity and profile, personal data sealed."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from jiceng.errors import InvalidInput
from jiceng.ids import normalise_resident_id
from jiceng.personal import PersonalDataSealer, mask_phone, mask_resident_id


class Gender(StrEnum):
    MALE = "male"  # 男
    FEMALE = "female"  # 女


GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}


def person_id(sealer: PersonalDataSealer, resident_id: str) -> UUID:
    """One person per 身份证号: the id derives from a keyed hash of the number."""
    return Person.create_id(sealer.fingerprint("resident_id", resident_id))


class Person(Aggregate):
    """人员: who the person is and which branch keeps their record."""

    @staticmethod
    def create_id(fingerprint: str) -> UUID:
        return UUID(fingerprint[:32])

    @event("Registered")
    def __init__(
        self,
        fingerprint: str,
        name: str,
        gender: Gender,
        ethnicity: str,
        birth_date: date,
        resident_id_sealed: str,
        resident_id_masked: str,
        phone_sealed: str | None,
        phone_masked: str | None,
        education: str | None,
        occupation: str | None,
        work_unit: str | None,
        branch_id: UUID,
    ) -> None:
        self.fingerprint = fingerprint
        self.name, self.gender, self.ethnicity = name, Gender(gender), ethnicity
        self.birth_date = birth_date
        self.resident_id_sealed, self.resident_id_masked = resident_id_sealed, resident_id_masked
        self.phone_sealed, self.phone_masked = phone_sealed, phone_masked
        self.education, self.occupation, self.work_unit = education, occupation, work_unit
        self.branch_id = branch_id

    @classmethod
    def register(
        cls,
        *,
        sealer: PersonalDataSealer,
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
    ) -> Person:
        number, born = normalise_resident_id(resident_id)
        if birth_date is not None and birth_date != born:
            raise InvalidInput("person.birth_date_mismatch", given=birth_date, encoded=born)
        encoded_gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
        if gender is not encoded_gender:
            raise InvalidInput(
                "person.gender_mismatch", given=gender.value, encoded=encoded_gender.value
            )
        if not name.strip():
            raise InvalidInput("person.name_empty")
        return cls(
            fingerprint=sealer.fingerprint("resident_id", number),
            name=name.strip(),
            gender=gender,
            ethnicity=ethnicity,
            birth_date=born,
            resident_id_sealed=sealer.seal("resident_id", number),
            resident_id_masked=mask_resident_id(number),
            phone_sealed=sealer.seal("phone", phone) if phone else None,
            phone_masked=mask_phone(phone) if phone else None,
            education=education,
            occupation=occupation,
            work_unit=work_unit,
            branch_id=branch_id,
        )
