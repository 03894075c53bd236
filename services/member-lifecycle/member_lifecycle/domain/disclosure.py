"""A disclosure of personal data (个人信息查阅记录): who saw whose whole 身份证号 or phone, and why.

The personal-information law asks for a record of every access to sensitive data; here each
one is an event on the log, so auditors replay it with the rest of the history. Who and when
travel in the event's attribution (actor, timestamp); the purpose is required.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from jiceng.errors import InvalidInput


class DisclosedField(StrEnum):
    RESIDENT_ID = "resident_id"  # 身份证号
    PHONE = "phone"  # 联系电话
    BIRTH_DATE = "birth_date"  # 出生日期


class Disclosure(Aggregate):
    """One reveal of one person's sealed data to one principal."""

    @classmethod
    def record(cls, person_id: UUID, fields: list[DisclosedField], purpose: str) -> Disclosure:
        if not purpose.strip():
            raise InvalidInput("personal.purpose_required")
        return cls(
            person_id=person_id,
            fields=sorted(f.value for f in set(fields)),
            purpose=purpose.strip(),
        )

    @event("Recorded")
    def __init__(self, person_id: UUID, fields: list[str], purpose: str) -> None:
        self.person_id = person_id
        self.fields = fields
        self.purpose = purpose
