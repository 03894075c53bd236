"""One way to import a roster, whatever it holds: check every row first, write only then.

A dry run reads the file once and reports. An import reads it twice, holding no rows: the
first pass checks every row, and nothing is written unless all are valid (or the caller
accepts writing the valid ones); the second writes the valid rows in batches, each batch
one transaction. An importer says what a row means (``check``) and how to record a batch
(``write``); re-running a file writes only what is new or changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import anyio

from jiceng.sheets.cells import CellError
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetFile, SheetRow
from jiceng.sheets.report import Problem, Report

#: ``(done, total)``; ``total`` is ``None`` while the first pass counts the rows.
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Origin:
    """Where a record came from: what every imported record's event names (溯源)."""

    file: str
    sheet: str
    row: int
    sha256: str
    actor: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "sha256": self.sha256}

    def describe(self) -> str:
        return f"{self.file} · {self.sheet} · 第 {self.row} 行 · sha256 {self.sha256}"


class Action(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Planned:
    """A valid row and what writing it will do."""

    origin: Origin
    action: Action
    record: Any


class Importer(Protocol):
    mapping: Mapping
    #: rows checked and written together (``0``: the whole file at once, for a tree whose
    #: rows name each other in any order)
    batch_size: int

    def start(self) -> None:
        """Forget what the previous pass saw (keys seen for duplicates)."""

    async def check(self, rows: Sequence[tuple[SheetRow, Origin]], report: Report) -> list[Planned]:
        """Each row's problems into ``report``; the valid rows planned."""

    async def write(self, planned: Sequence[Planned], report: Report) -> int:
        """Record the new and changed rows; how many were written. A row someone else
        changed since it was checked goes into ``report`` instead."""


def problem(row: SheetRow, field: str, error: CellError | Any, value: Any = None) -> Problem:
    """A row's problem in ``field``, headed as the file heads it."""
    shown = row.cells.get(field) if value is None else value
    return Problem(
        sheet=row.sheet,
        row=row.number,
        column=row.headers.get(field, field),
        value="" if shown is None else str(shown),
        code=error.code,
        params=dict(error.params),
    )


async def run_import(
    file: SheetFile,
    importer: Importer,
    *,
    actor: str | None = None,
    dry_run: bool = True,
    accept_valid: bool = False,
    on_progress: Progress | None = None,
) -> Report:
    """Check ``file`` and, unless a dry run, write its valid rows (see the module's text)."""
    report = Report(file.name, file.sha256)
    progress = on_progress or (lambda _done, _total: None)
    planned_rows = await _pass(file, importer, report, actor, None, progress, write=False)
    report.valid = max(report.rows - report.refused, 0)
    report.unchanged = planned_rows[Action.UNCHANGED]
    report.new, report.changed = planned_rows[Action.NEW], planned_rows[Action.CHANGED]
    report.problems.sort(key=lambda p: (p.sheet, p.row))
    if dry_run or report.valid == 0 or (report.refused and not accept_valid):
        return report
    if report.new == report.changed == 0:
        return report  # everything recorded already: no second pass
    written = Report(file.name, file.sha256)  # the second pass's own findings
    refused = set(report.refused_rows)
    await _pass(file, importer, written, actor, refused, progress, write=True, total=report.valid)
    report.written = written.written
    for late in written.problems:  # changed between the passes (a concurrent writer)
        report.refuse(late)
    report.problems.sort(key=lambda p: (p.sheet, p.row))
    return report


async def _pass(
    file: SheetFile,
    importer: Importer,
    report: Report,
    actor: str | None,
    skip: set[tuple[str, int]] | None,
    progress: Progress,
    *,
    write: bool,
    total: int | None = None,
) -> dict[Action, int]:
    importer.start()
    counts = dict.fromkeys(Action, 0)
    batch: list[tuple[SheetRow, Origin]] = []
    done = 0

    async def flush() -> None:
        nonlocal done
        planned = await importer.check(batch, report)
        for item in planned:
            counts[item.action] += 1
        if write:
            report.written += await importer.write(
                [p for p in planned if p.action is not Action.UNCHANGED], report
            )
        done += len(batch)
        batch.clear()
        progress(done, total)

    rows = file.rows(importer.mapping)
    size = importer.batch_size or None

    def read_batch() -> list[SheetRow]:
        """The next ``size`` rows to handle (all when ``size`` is None; none at the end).
        Parsing is CPU work: it runs in a worker thread, so the API answers meanwhile."""
        wanted: list[SheetRow] = []
        for row in rows:
            if skip is None or (row.sheet, row.number) not in skip:
                wanted.append(row)
                if size is not None and len(wanted) >= size:
                    break
        return wanted

    try:
        while read := await anyio.to_thread.run_sync(read_batch):
            for row in read:
                report.rows += 1
                batch.append((row, Origin(file.name, row.sheet, row.number, file.sha256, actor)))
            await flush()
    except CellError as error:  # the file as a whole (no header, not a spreadsheet)
        report.refuse(Problem("", 0, "", file.name, error.code, dict(error.params)))
    return counts
