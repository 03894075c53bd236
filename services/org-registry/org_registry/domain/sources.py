"""Where an event's facts came from when they were imported (导入来源)."""

from __future__ import annotations

from typing import TypedDict


class ImportSource(TypedDict):
    """The spreadsheet row an event was imported from: file, sheet, row, digest."""

    file: str
    sheet: str
    row: int
    sha256: str
