"""Reading a roster: xlsx (streamed, any number of sheets) or CSV (UTF-8 with or without
BOM, GBK/GB18030), its header found among the first rows, each row keyed by field.

Headers may sit under a title row, be merged across columns or over two rows; blank rows
are skipped; columns the mapping does not name (序号, 备注...) are ignored. Memory stays
bounded: xlsx rows are streamed, CSV is decoded as it is read.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from jiceng.sheets.cells import CellError, normalise
from jiceng.sheets.mapping import Mapping

#: Rows searched for the header.
HEADER_ROWS = 10
#: Columns read from a row (a roster has a few dozen; a hostile file claims thousands).
MAX_COLUMNS = 256
#: Cells one row of an xlsx may hold: the reader builds a whole row before it can be cut
#: short, so a few KB of ``<c/>`` would otherwise take gigabytes.
MAX_ROW_CELLS = 4096
#: What an xlsx may unpack to (a roster of 400,000 rows unpacks to about 300 MiB), and its
#: shared strings, which the reader holds in memory: a "zip bomb" is refused before reading.
MAX_UNPACKED = 1 << 30
MAX_SHARED_STRINGS = 128 << 20
_XLSX = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass(frozen=True)
class SheetRow:
    """One data row: where it is (as the clerk sees it) and its cells by field."""

    sheet: str
    number: int
    cells: dict[str, Any]
    #: field → the header the file used for it
    headers: dict[str, str]


@dataclass(frozen=True)
class SheetFile:
    """An uploaded or named file: its name, bytes' digest, and how to open it again."""

    name: str
    sha256: str
    size: int
    _open: Callable[[], IO[bytes]]

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> SheetFile:
        return cls(name, hashlib.sha256(data).hexdigest(), len(data), lambda: io.BytesIO(data))

    @classmethod
    def from_path(cls, path: Path) -> SheetFile:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return cls(path.name, digest.hexdigest(), path.stat().st_size, lambda: path.open("rb"))

    def rows(self, mapping: Mapping) -> Iterator[SheetRow]:
        """Every data row of every sheet that has the mapping's header (read again on each
        call: a dry run and the import read the file twice, holding no rows)."""
        with self._open() as handle:
            magic = handle.read(4)
        if magic == _OLE:
            raise CellError("sheet.xls_unsupported")
        if magic == _XLSX:
            yield from self._xlsx_rows(mapping)
        else:
            yield from self._csv_rows(mapping)

    def _xlsx_rows(self, mapping: Mapping) -> Iterator[SheetRow]:
        from openpyxl import load_workbook

        with self._open() as handle:
            _check_archive(handle)
            try:
                book = load_workbook(handle, read_only=True, data_only=True)
            except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
                raise CellError("sheet.unreadable", reason=type(error).__name__) from None
            try:
                found = False
                for sheet in book.worksheets:
                    # The file's own <dimension> may claim the whole grid: every row would be
                    # padded to it. Read the cells that are there, at most MAX_COLUMNS wide.
                    sheet.reset_dimensions()
                    rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
                    for row in _keyed(sheet.title, enumerate(rows, start=1), mapping):
                        found = True
                        yield row
                if not found:
                    raise CellError("sheet.header_not_found", expected=_expected(mapping))
            finally:
                book.close()

    def _csv_rows(self, mapping: Mapping) -> Iterator[SheetRow]:
        encoding = self._csv_encoding()
        with self._open() as handle:
            text = io.TextIOWrapper(handle, encoding=encoding, newline="")
            reader = csv.reader(text)
            try:
                numbered = ((reader.line_num, row[:MAX_COLUMNS]) for row in reader)
                found = False
                for row in _keyed(self.name, numbered, mapping):
                    found = True
                    yield row
            except csv.Error as error:
                raise CellError("sheet.unreadable", reason=str(error)) from None
            except UnicodeDecodeError:
                # Neither UTF-8 nor GB18030 text: a binary file, or another encoding.
                raise CellError("sheet.unreadable", reason="not UTF-8 or GB18030 text") from None
        if not found:
            raise CellError("sheet.header_not_found", expected=_expected(mapping))

    def _csv_encoding(self) -> str:
        """UTF-8 (a BOM is dropped) when the whole file decodes so; else GB18030 (GBK's
        superset, what Excel writes on Chinese Windows)."""
        with self._open() as handle:
            start = handle.read(3)
            if start == codecs.BOM_UTF8:
                return "utf-8-sig"
            handle.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8")()
            try:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return "gb18030"
        return "utf-8"


def _check_archive(handle: IO[bytes]) -> None:
    """Refuse, before the reader builds anything, an xlsx that unpacks too large or holds a
    row too wide (a "zip bomb" of empty cells)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            strings = sum(m.file_size for m in members if m.filename.endswith("sharedStrings.xml"))
            if unpacked > MAX_UNPACKED or strings > MAX_SHARED_STRINGS:
                raise CellError(
                    "sheet.too_large", unpacked_mib=unpacked >> 20, limit_mib=MAX_UNPACKED >> 20
                )
            for member in members:
                name = member.filename
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(member) as sheet:
                        _check_row_widths(sheet)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise CellError("sheet.unreadable", reason=type(error).__name__) from None
    handle.seek(0)


def _check_row_widths(sheet: IO[bytes]) -> None:
    """Count cell elements row by row in the raw XML (byte counts, at C speed)."""
    cells = 0
    carry = b""
    for chunk in iter(lambda: sheet.read(1 << 20), b""):
        data = carry + chunk
        cut = max(len(data) - 8, 0)  # a tag cut by the chunk's end is read whole next time
        data, carry = data[:cut], data[cut:]
        for index, piece in enumerate(data.split(b"<row")):
            if index:
                cells = 0  # a new row
            cells += piece.count(b"<c ") + piece.count(b"<c>") + piece.count(b"<c/>")
            if cells > MAX_ROW_CELLS:
                raise CellError("sheet.row_too_wide", limit=MAX_ROW_CELLS)


def _expected(mapping: Mapping) -> list[str]:
    return [mapping.header(name) for name in mapping.required or mapping.columns]


def _keyed(sheet: str, rows: Iterator[tuple[int, Any]], mapping: Mapping) -> Iterator[SheetRow]:
    """The rows after the header, keyed by field; nothing when no header is found."""
    top: list[tuple[int, list[Any]]] = []
    for number, row in rows:
        top.append((number, list(row)))
        if len(top) == HEADER_ROWS:
            break
    header = _find_header(top, mapping)
    if header is None:
        return
    last_header_row, columns = header
    # A field the file has no column for is named as the template names it.
    headers = {name: mapping.header(name) for name in mapping.columns}
    headers |= {name: str(normalise(label)) for name, (_, label) in columns.items()}

    def keyed(number: int, row: list[Any]) -> SheetRow | None:
        cells = {name: row[i] if i < len(row) else None for name, (i, _) in columns.items()}
        if all(normalise(v) is None for v in row):
            return None  # a blank row
        return SheetRow(sheet, number, cells, headers)

    for number, row in top:
        if number > last_header_row and (found := keyed(number, row)) is not None:
            yield found
    for number, row in rows:
        if (found := keyed(number, list(row))) is not None:
            yield found


def _find_header(
    top: list[tuple[int, list[Any]]], mapping: Mapping
) -> tuple[int, dict[str, tuple[int, Any]]] | None:
    """The row naming most fields (at least two), completed from the row above or below
    for columns merged over two header rows; returns the last header row and the columns."""

    def fields(row: list[Any]) -> dict[str, tuple[int, Any]]:
        named: dict[str, tuple[int, Any]] = {}
        for index, label in enumerate(row):
            name = mapping.field_of(label)
            if name is not None and name not in named:
                named[name] = (index, label)
        return named

    scored = [(len(fields(row)), position) for position, (_, row) in enumerate(top)]
    best, position = max(scored, default=(0, 0), key=lambda s: (s[0], -s[1]))
    if best < 2:
        return None
    columns = fields(top[position][1])
    last = top[position][0]
    used = {index for index, _ in columns.values()}
    for neighbour in (position - 1, position + 1):
        if not 0 <= neighbour < len(top):
            continue
        extra = {
            name: spot
            for name, spot in fields(top[neighbour][1]).items()
            if name not in columns and spot[0] not in used
        }
        if extra:
            columns.update(extra)
            used |= {index for index, _ in extra.values()}
            last = max(last, top[neighbour][0])
    return last, columns
