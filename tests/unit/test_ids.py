"""统一社会信用代码 and 身份证号 validation."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import uscc

import gb11643
from gb11643 import STANDARD_EXAMPLES
from jiceng.errors import InvalidInput
from jiceng.ids import normalise_resident_id, normalise_uscc, resident_id_check_character


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


@pytest.mark.parametrize("number", STANDARD_EXAMPLES)
def test_the_standards_own_examples_are_accepted(number: str) -> None:
    # GB 11643-1999's examples; the first ends in X, refused before the check was mended.
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert normalise_resident_id(number) == (number, born)
    assert normalise_resident_id(number.lower()) == (number, born)


def test_a_wrong_check_character_is_refused_whichever_it_is() -> None:
    for number in STANDARD_EXAMPLES:
        for wrong in "0123456789X":
            if wrong == number[-1]:
                continue
            with pytest.raises(InvalidInput) as refused:
                normalise_resident_id(number[:-1] + wrong)
            assert refused.value.code == "ids.resident_id_check_digit"
            assert number[:14] not in str(refused.value.params)  # masked


def test_every_check_character_is_accepted_where_the_standard_gives_it() -> None:
    # One number per check character (X included), each made by the standard's arithmetic.
    seen: dict[str, str] = {}
    for serial in range(1, 400):
        number = gb11643.resident_id(date(1990, 3, 7), serial)
        seen.setdefault(number[-1], number)
    assert sorted(seen) == sorted("0123456789X")
    for number in seen.values():
        assert normalise_resident_id(number)[0] == number
        assert resident_id_check_character(number[:17]) == number[-1]


def test_resident_id_with_an_old_region_code() -> None:
    # 130633 (易县 before a boundary change) is valid although stdnum's table lacks it.
    number = gb11643.resident_id(date(1990, 3, 7), 1, region="130633")
    assert normalise_resident_id(number) == (number, date(1990, 3, 7))
    with pytest.raises(InvalidInput) as refused:
        normalise_resident_id(gb11643.with_wrong_check(number))
    assert refused.value.code == "ids.resident_id_check_digit"
    assert number[:14] not in str(refused.value.params)  # masked


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("11010519491231002", "ids.resident_id_format"),
        ("1101051949123100XX", "ids.resident_id_format"),
        (
            gb11643.resident_id(date(1990, 3, 7))[:10] + "1332" + "0011",
            "ids.resident_id_check_digit",
        ),
    ],
)
def test_malformed_numbers_name_what_is_wrong(value: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        normalise_resident_id(value)
    assert refused.value.code == code


def test_an_impossible_birth_date_is_refused() -> None:
    first17 = "11010519900230001"  # 30 February
    number = first17 + gb11643.check_character(first17)
    with pytest.raises(InvalidInput) as refused:
        normalise_resident_id(number)
    assert refused.value.code == "ids.resident_id_birth_date"
