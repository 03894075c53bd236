"""Personal data sealed for the log and the feed, and masked for lists."""

from __future__ import annotations

import pytest

from jiceng.errors import InvalidInput
from jiceng.personal import PersonalDataSealer, mask_name, mask_phone, mask_resident_id

SEALER = PersonalDataSealer(b"k" * 32)


def test_sealed_values_hide_the_value_and_open_again() -> None:
    sealed = SEALER.seal("resident_id", "110105199003070012")
    assert sealed.startswith("sealed:v1:")
    assert "1990" not in sealed
    assert SEALER.seal("resident_id", "110105199003070012") != sealed  # fresh nonce each time
    assert SEALER.open("resident_id", sealed) == "110105199003070012"


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
    assert mask_resident_id("110105199003070012") == "110105********0012"
    assert mask_phone("13812345678") == "138****5678"
    assert (mask_name("张三"), mask_name("欧阳明月"), mask_name("李")) == ("张*", "欧**月", "李")


def test_the_configured_key_is_used() -> None:
    import base64

    from pydantic import SecretStr

    from jiceng.personal import sealer_for
    from jiceng.settings import Settings

    key = base64.b64encode(b"k" * 32).decode()
    configured = sealer_for(Settings(env="dev", personal_data_key=SecretStr(key)))
    assert configured.open("phone", SEALER.seal("phone", "139")) == "139"
    dev = sealer_for(Settings(env="dev"))
    with pytest.raises(InvalidInput):
        dev.open("phone", SEALER.seal("phone", "139"))
