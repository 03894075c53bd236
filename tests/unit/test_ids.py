"""统一社会信用代码 and 身份证号 validation."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import uscc

from jiceng.errors import InvalidInput
from jiceng.ids import normalise_resident_id, normalise_uscc


def with_check(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def test_a_valid_code_is_normalised() -> None:
    code = with_check("91430100MA4L0XXX0")
    assert normalise_uscc(code.lower()[:4] + "-" + code[4:]) == code


def test_authority_codes_with_letters_are_accepted() -> None:
    # stdnum.cn.uscc refuses these (it wants digits in the first eight places).
    code = with_check("N2430100MA4L0XXX0")
    assert not uscc.is_valid(code)
    assert normalise_uscc(code) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9143010", "ids.uscc_length"),
        ("91430100MA4L0XXXOA", "ids.uscc_characters"),  # O is not in the alphabet
        ("91A30100MA4L0XXX0A", "ids.uscc_region"),
    ],
)
def test_bad_codes_name_what_is_wrong(value: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        normalise_uscc(value)
    assert refused.value.code == code


def test_a_wrong_check_character_says_which_it_should_be() -> None:
    good = with_check("91430100MA4L0XXX0")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(InvalidInput) as refused:
        normalise_uscc(bad)
    assert refused.value.params["expected"] == good[-1]


def test_resident_id_with_an_old_region_code() -> None:
    # 130633 (易县 before a boundary change) is valid although stdnum's table lacks it.
    body = "13063319900307001"
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body)
    assert normalise_resident_id(number) == (number, date(1990, 3, 7))
    with pytest.raises(InvalidInput) as refused:
        normalise_resident_id(body + ("0" if number[-1] != "0" else "1"))
    assert refused.value.code == "ids.resident_id_check_digit"
    assert body not in str(refused.value.params)  # masked
