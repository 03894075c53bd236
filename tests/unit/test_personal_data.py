"""Personal data sealed for the log and the feed, and masked so that nothing shown with the
mask gives the sealed value back."""

from __future__ import annotations

import base64
from datetime import date, timedelta

import pytest
from pydantic import SecretStr

import gb11643
from jiceng.errors import InvalidInput
from jiceng.personal import PersonalDataSealer, mask_name, mask_phone, mask_resident_id, sealer_for
from jiceng.settings import Settings
from member_lifecycle.domain.evidence import full_years

SEALER = PersonalDataSealer(b"k" * 32)
NUMBER = gb11643.STANDARD_EXAMPLES[0]  # 11010519491231002X


def test_sealed_values_hide_the_value_and_open_again() -> None:
    sealed = SEALER.seal("resident_id", NUMBER)
    assert sealed.startswith("sealed:v1:")
    assert "1949" not in sealed
    assert SEALER.seal("resident_id", NUMBER) != sealed  # fresh nonce each time
    assert SEALER.open("resident_id", sealed) == NUMBER


def test_a_sealed_value_cannot_be_moved_to_another_field_or_opened_with_another_key() -> None:
    sealed = SEALER.seal("phone", "13812345678")
    with pytest.raises(InvalidInput) as moved:
        SEALER.open("resident_id", sealed)
    assert moved.value.code == "personal.cannot_open"
    with pytest.raises(InvalidInput):
        PersonalDataSealer(b"x" * 32).open("phone", sealed)
    with pytest.raises(InvalidInput) as plain:
        SEALER.open("phone", "13812345678")
    assert plain.value.code == "personal.not_sealed"


def test_masks() -> None:
    assert mask_resident_id(NUMBER) == "****************2X"
    assert mask_resident_id("123") == "****"
    assert mask_phone("13812345678") == "*******5678"
    assert mask_phone("+86 138-1234-5678") == "*******5678"
    assert mask_phone("1234") == "****"
    assert (mask_name("张三"), mask_name("欧阳明月"), mask_name("李")) == ("张*", "欧**月", "李")


def candidates_for(mask: str, age: int, today: date, region: str) -> list[str]:
    """Every number agreeing with a masked view: its mask, the age shown beside it, and a
    region the attacker is assumed to know exactly (from the branch's county, say)."""
    youngest = date(today.year - age, today.month, today.day)  # born on this day: just `age`
    found = []
    day = youngest
    while full_years(day, today) == age:
        for serial in range(1000):
            first17 = f"{region}{day:%Y%m%d}{serial:03d}"
            if first17[-1] == mask[-2] and gb11643.check_character(first17) == mask[-1]:
                found.append(first17 + mask[-1])
        day -= timedelta(days=1)
    return found


def test_the_id_mask_and_the_age_leave_thousands_of_candidates() -> None:
    today = date(2026, 11, 27)
    age = full_years(date(1949, 12, 31), today)
    found = candidates_for(mask_resident_id(NUMBER), age, today, region=NUMBER[:6])
    assert NUMBER in found
    # Even knowing the region, a guess is right once in thousands. The old mask (region and
    # last four) with the age left about 33; with the birth date, exactly one.
    assert len(found) > 3000


def test_the_phone_mask_leaves_seven_digits_unknown() -> None:
    masked = mask_phone("13812345678")
    assert sum(c.isdigit() for c in masked) == 4
    assert "138" not in masked


def test_the_configured_key_is_used() -> None:
    key = base64.b64encode(b"k" * 32).decode()
    configured = sealer_for(Settings(env="dev", personal_data_key=SecretStr(key)))
    assert configured.open("phone", SEALER.seal("phone", "139")) == "139"
    dev = sealer_for(Settings(env="dev"))
    with pytest.raises(InvalidInput):
        dev.open("phone", SEALER.seal("phone", "139"))
