"""Rows out as xlsx or CSV with Chinese headers, safe to open in a spreadsheet.

A cell that starts like a formula (``=``, ``+``, ``-``, ``@``) is written as text, never as a
formula: exported names and notes come from users (CSV prefixes it with ``'``). ``download``
wraps one sheet as a file with its media type and a name to save it under.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An xlsx workbook, written row by row (memory does not grow with the rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        sheet.append(list(spec.headers))
        for row in spec.rows:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, str) and value.startswith(_FORMULA_START):
                    cell = WriteOnlyCell(sheet, value=_xml_safe(value))
                    cell.data_type = "s"  # text, whatever it looks like
                    cells.append(cell)
                else:
                    cells.append(_plain(value))
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel on Chinese Windows reads it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"  # as in CSV, not TRUE/FALSE
    if isinstance(value, str):
        return _xml_safe(value)
    if value is None or isinstance(value, int | float | date | datetime):
        return value
    return _xml_safe(str(value))


def _xml_safe(text: str) -> str:
    """Control characters an xlsx cannot hold, shown as ``\\xNN`` (a report quotes what a
    CSV cell held, NUL included)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)  # a negative number is a number, not a formula
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class SheetFormat(StrEnum):
    """The file formats a report downloads as."""

    XLSX = "xlsx"
    CSV = "csv"


MEDIA_TYPES = {
    SheetFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    SheetFormat.CSV: "text/csv; charset=utf-8",
}

#: Characters no file name may hold on the desktops that open these files.
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@dataclass(frozen=True)
class Download:
    """A report as a file: its bytes, media type and the name a browser saves it under."""

    content: bytes
    media_type: str
    filename: str
    ascii_filename: str

    @property
    def content_disposition(self) -> str:
        """RFC 6266: an ASCII name for old clients, the UTF-8 name (RFC 8187) for the rest."""
        encoded = quote(self.filename, safe="")
        return f"attachment; filename=\"{self.ascii_filename}\"; filename*=UTF-8''{encoded}"


def download(sheet: Sheet, file_format: SheetFormat, name: str, ascii_name: str) -> Download:
    """``sheet`` as an xlsx workbook or a CSV file named ``name`` (``ascii_name`` for clients
    that do not read UTF-8 names), each without characters a file name may not hold."""
    if file_format is SheetFormat.XLSX:
        content = to_xlsx([sheet])
    else:
        content = to_csv(sheet.headers, sheet.rows)
    suffix = f".{file_format.value}"
    return Download(
        content=content,
        media_type=MEDIA_TYPES[file_format],
        filename=safe_file_name(name) + suffix,
        ascii_filename=safe_file_name(ascii_name.encode("ascii", "ignore").decode()) + suffix,
    )


def safe_file_name(name: str) -> str:
    """``name`` without characters a file name may not hold (never empty)."""
    return _NOT_IN_FILE_NAMES.sub("_", name).strip(" .") or "export"
