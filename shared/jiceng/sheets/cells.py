"""What clerks type into cells, turned into values or refused with a reason.

Every parser raises :class:`CellError` with a stable code (its texts in
:mod:`jiceng.sheets.messages`); none of them guesses. Full-width digits, letters and spaces
(全角) are read as their half-width forms.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

#: Day zero of Excel's 1900 date system (its serials count the fictitious 1900-02-29).
EXCEL_EPOCH = date(1899, 12, 30)
#: Excel serials this system accepts: 1900-03-01 (61) to 2199-12-31.
SERIALS = range(61, 109575 + 1)

_DATE_TEXT = (
    re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d*)?[eE][+-]?\d+")


class CellError(Exception):
    """A cell that cannot be read as what its column holds."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


#: Full-width ASCII (全角 letters, digits, punctuation) and the ideographic space, folded to
#: their half-width forms. Not NFKC: that would also rewrite the compatibility ideographs
#: some names are written with.
_HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}


def normalise(value: Any) -> Any:
    """Text with full-width forms folded, outer and repeated spaces (line breaks too)
    removed; blank text is ``None``; anything else is returned as it is."""
    if not isinstance(value, str):
        return value
    text = " ".join(value.translate(_HALF_WIDTH).split())
    return text or None


def text(value: Any) -> str | None:
    """A cell as text: whole numbers without ``.0``, dates as ISO, blanks as ``None``."""
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def day(value: Any) -> date | None:
    """A date typed as a date, as an Excel serial, or as text (``2019-07-01``,
    ``2019/7/1``, ``2019.07.01``, ``2019年7月1日``, ``20190701``); blank is ``None``."""
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("sheet.date_invalid", value=str(value))
    if isinstance(value, int | float):
        if not float(value).is_integer() or int(value) not in SERIALS:
            raise CellError("sheet.date_invalid", value=str(value))
        return EXCEL_EPOCH + timedelta(days=int(value))
    raw = str(value)
    for pattern in _DATE_TEXT:
        match = pattern.fullmatch(raw)
        if match:
            year, month, day_ = (int(part) for part in match.groups())
            try:
                found = date(year, month, day_)
            except ValueError:
                raise CellError("sheet.date_invalid", value=raw) from None
            if not 1900 <= found.year <= 2199:
                raise CellError("sheet.date_invalid", value=raw)
            return found
    if raw.isdigit() and int(raw) in SERIALS:  # a serial that arrived as text (CSV from Excel)
        return EXCEL_EPOCH + timedelta(days=int(raw))
    raise CellError("sheet.date_invalid", value=raw)


def resident_id(value: Any) -> str | None:
    """A 身份证号 as typed: a number Excel stored as a number has lost its last digits
    (Excel keeps 15 significant digits), so it is refused, never completed."""
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("sheet.resident_id_invalid", value=str(value))
    if isinstance(value, int | float):
        shown = f"{value:.6g}" if isinstance(value, float) else str(value)
        raise CellError("sheet.resident_id_stored_as_number", value=shown)
    raw = str(value).replace(" ", "")
    if _SCIENTIFIC.fullmatch(raw):
        raise CellError("sheet.resident_id_stored_as_number", value=raw)
    return raw.upper()


def phone(value: Any) -> str | None:
    """A phone number as text (a number cell keeps its digits: phones have at most 11)."""
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).replace(" ", "").replace("-", "")
    if not re.fullmatch(r"\+?[0-9]{6,20}", raw):
        raise CellError("sheet.phone_invalid", value=str(value))
    return raw
