"""National identity codes: 统一社会信用代码 (GB 32100) and 居民身份证号码 (GB 11643).

python-stdnum's check-digit arithmetic is used, but not its format rules where they are
stricter than the standard: ``stdnum.cn.uscc`` wants digits in the first eight places and so
refuses codes issued by authorities with letter codes (A, N, Y, ...); ``stdnum.cn.ric``'s
birthplace table refuses valid older region codes, so the place is not checked.
"""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

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
        raise InvalidInput("ids.resident_id_format", value=_mask(number))
    if number[17] != ric.calc_check_digit(number[:17]):
        raise InvalidInput("ids.resident_id_check_digit", value=_mask(number))
    try:
        born = ric.get_birth_date(number)
    except ValidationError as error:
        raise InvalidInput("ids.resident_id_birth_date", value=_mask(number)) from error
    return number, born


def _mask(number: str) -> str:
    return number[:6] + "*" * max(len(number) - 10, 0) + number[-4:] if len(number) > 10 else "*"
