"""National identity codes: 统一社会信用代码 (GB 32100) and 居民身份证号码 (GB 11643).

python-stdnum's check-digit arithmetic is used, but not its format rules where they are
stricter than the standard: ``stdnum.cn.uscc`` wants digits in the first eight places and so
refuses codes issued by authorities with letter codes (A, N, Y, ...); ``stdnum.cn.ric``'s
birthplace table refuses valid older region codes, so the place is not checked.
"""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric, uscc

from jiceng.errors import InvalidInput

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalise_uscc(value: str) -> str:
    """The code in canonical form, or :class:`InvalidInput` naming what is wrong."""
    code = value.replace(" ", "").replace("-", "").upper()
    if len(code) != 18:
        raise InvalidInput("ids.uscc_length", value=value, length=len(code))
    if any(c not in USCC_ALPHABET for c in code):
        raise InvalidInput("ids.uscc_characters", value=value)
    if not code[2:8].isdigit():
        raise InvalidInput("ids.uscc_region", value=value, region=code[2:8])
    expected = uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        raise InvalidInput("ids.uscc_check_digit", value=value, expected=expected)
    return code


def normalise_resident_id(value: str) -> tuple[str, date]:
    """The 18-character ID number and the birth date it encodes."""
    number = value.replace(" ", "").upper()
    if len(number) != 18 or not number[:17].isdigit():
        raise InvalidInput("ids.resident_id_format", value=mask_resident_id(number))
    if number[17] != resident_id_check_character(number[:17]):
        raise InvalidInput("ids.resident_id_check_digit", value=mask_resident_id(number))
    try:
        born = resident_id_birth_date(number)
    except ValueError as error:  # the 7th to 14th digits are no date (a 2月30日)
        raise InvalidInput("ids.resident_id_birth_date", value=mask_resident_id(number)) from error
    return number, born


def resident_id_birth_date(number: str) -> date:
    """The birth date a valid number encodes (digits 7–14)."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def resident_id_check_character(first17: str) -> str:
    """The 18th character (ISO 7064 MOD 11-2) of a number whose first 17 digits are given.

    ``stdnum.cn.ric.calc_check_digit`` takes the whole 18-character number and ignores its
    last character: given only 17 digits it computes over 16 and is wrong 10 times in 11.
    """
    return str(ric.calc_check_digit(first17 + "0"))


def mask_resident_id(number: str) -> str:
    """****************2X: the last two characters only.

    Masks are shown next to the age, the gender and the branch. A mask keeping the region
    (first six) and the last four left a few dozen candidates to try once the age was known;
    even with the region guessed from the branch, the last two leave thousands.
    """
    return "*" * 16 + number[-2:] if len(number) == 18 else "*" * 4
