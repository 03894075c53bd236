"""Rows out as xlsx or CSV with Chinese headers, safe to open in a spreadsheet.

A cell that starts like a formula (``=``, ``+``, ``-``, ``@``) is written as text, never as a
formula: exported names and notes come from users (CSV prefixes it with ``'``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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
                    cell = WriteOnlyCell(sheet, value=value)
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
    if value is None or isinstance(value, int | float | str | date | datetime):
        return value
    return str(value)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
