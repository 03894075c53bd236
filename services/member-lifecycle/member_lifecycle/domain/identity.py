"""Who a person is, as their 身份证号 says: the checks of a registration, gender, masks."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from jiceng.errors import InvalidInput
from jiceng.ids import normalise_resident_id
from jiceng.personal import PersonalDataSealer, mask_phone
from jiceng.text import has_control_characters

#: Nobody on the register was born earlier (the 身份证号 itself allows 1800).
EARLIEST_BIRTH = date(1900, 1, 1)


class Gender(StrEnum):
    MALE = "male"  # 男
    FEMALE = "female"  # 女


GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}


def shorten_masks(registered: dict[str, Any]) -> None:
    """A registration's masks in today's short form, whichever version wrote them: the ID
    number's last two characters, the phone's last four digits (both masks kept those)."""
    registered["resident_id_masked"] = "*" * 16 + str(registered["resident_id_masked"])[-2:]
    if registered.get("phone_masked"):
        registered["phone_masked"] = "*" * 7 + str(registered["phone_masked"])[-4:]


#: What a profile correction may change (档案更正).
PROFILE_FIELDS = (
    "name",
    "ethnicity",
    "phone_sealed",
    "phone_masked",
    "education",
    "occupation",
    "work_unit",
)


def encoded_gender(number: str) -> Gender:
    """The gender the 17th digit of a 身份证号 encodes (odd: male)."""
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


def check_identity(
    resident_id: str,
    *,
    today: date,
    birth_date: date | None,
    gender: Gender,
    name: str,
    ethnicity: str,
) -> str:
    """The normalised number, if what a registration says agrees with it and is one line."""
    number, born = normalise_resident_id(resident_id)
    if not EARLIEST_BIRTH <= born <= today:
        # A valid check digit on an impossible life (born next year, or in 1800).
        raise InvalidInput("person.birth_date_implausible", earliest=EARLIEST_BIRTH)
    if birth_date is not None and birth_date != born:
        # Only what the caller gave: the encoded date stays sealed like the number.
        raise InvalidInput("person.birth_date_mismatch", given=birth_date)
    encoded = encoded_gender(number)
    if gender is not encoded:
        raise InvalidInput("person.gender_mismatch", given=gender.value, encoded=encoded.value)
    if not name.strip():
        raise InvalidInput("person.name_empty")
    for field, text in (("name", name), ("ethnicity", ethnicity)):
        if has_control_characters(text):  # a line break in a name, say
            raise InvalidInput("person.text_not_single_line", field=field)
    return number


def profile_changes(
    current: Any, sealer: PersonalDataSealer, given: dict[str, str | None]
) -> dict[str, str | None]:
    """What a profile correction changes of ``current`` (each of :data:`PROFILE_FIELDS`;
    ``None`` where it stays): a new phone sealed and masked, names one line."""
    unknown = set(given) - {"name", "ethnicity", "phone", "education", "occupation", "work_unit"}
    if unknown:
        raise InvalidInput("request.invalid", fields=sorted(unknown))
    for field in ("name", "ethnicity"):
        text = given.get(field)
        if text is not None and (not text.strip() or has_control_characters(text)):
            raise InvalidInput("person.text_not_single_line", field=field)
    changed: dict[str, str | None] = dict.fromkeys(PROFILE_FIELDS)
    for field in ("name", "ethnicity", "education", "occupation", "work_unit"):
        value = given.get(field)
        value = value.strip() if value and field == "name" else value
        if value is not None and value != getattr(current, field):
            changed[field] = value
    phone = given.get("phone")
    now = sealer.open("phone", current.phone_sealed) if current.phone_sealed else None
    if phone is not None and phone != now:
        changed["phone_sealed"] = sealer.seal("phone", phone)
        changed["phone_masked"] = mask_phone(phone)
    return changed
