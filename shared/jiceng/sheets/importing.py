"""One way to import a roster, whatever it holds: check every row first, write only then.

The file is read once and every row checked; nothing is written unless all are valid (or
the caller accepts writing the valid ones). An importer says what a row means (``check``)
and how its records are written, in one of two ways:

- a :class:`StagedImporter` stages what each valid batch will store, sealed as it will be
  stored (never the rows), and commits the staged batches after the check, each batch one
  transaction: nothing is built twice, memory stays bounded;
- a :class:`RereadingImporter` has the file read a second time and ``write`` the valid rows
  in batches (for small files whose rows name each other, such as a tree).

A dry run checks and reports. Re-running a file writes only what is new or changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

import anyio

from jiceng.messages import Messages
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
    #: the texts its problems are told in (its service's)
    messages: Messages
    #: rows checked and written together (``0``: the whole file at once, for a tree whose
    #: rows name each other in any order)
    batch_size: int

    def start(self) -> None:
        """Forget what the previous pass saw (keys seen for duplicates)."""

    async def check(self, rows: Sequence[tuple[SheetRow, Origin]], report: Report) -> list[Planned]:
        """Each row's problems into ``report``; the valid rows planned."""


@runtime_checkable
class RereadingImporter(Importer, Protocol):
    async def write(self, planned: Sequence[Planned], report: Report) -> int:
        """Record the new and changed rows; how many were written. A row someone else
        changed since it was checked goes into ``report`` instead."""


@runtime_checkable
class StagedImporter(Importer, Protocol):
    async def stage(self, planned: Sequence[Planned]) -> None:
        """Keep what writing these (new or changed) rows will store."""

    async def commit(self, report: Report) -> int:
        """Store what was staged; how many rows were written (conflicts into ``report``)."""

    def discard(self) -> None:
        """Forget what was staged (the file is not imported)."""


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
    report = Report(file.name, file.sha256, messages=importer.messages)
    progress = on_progress or (lambda _done, _total: None)
    stager = importer if isinstance(importer, StagedImporter) and not dry_run else None
    try:
        planned_rows = await _pass(file, importer, report, actor, None, progress, stager=stager)
    except BaseException:
        if stager is not None:
            stager.discard()
        raise
    report.valid = max(report.rows - report.refused, 0)
    report.unchanged = planned_rows[Action.UNCHANGED]
    report.new, report.changed = planned_rows[Action.NEW], planned_rows[Action.CHANGED]
    report.problems.sort(key=lambda p: (p.sheet, p.row))
    nothing_to_write = report.valid == 0 or report.new == report.changed == 0
    if dry_run or nothing_to_write or (report.refused and not accept_valid):
        if stager is not None:
            stager.discard()
        return report
    if stager is not None:
        progress(0, report.new + report.changed)
        report.written = await stager.commit(report)
        progress(report.written, report.new + report.changed)
        report.problems.sort(key=lambda p: (p.sheet, p.row))
        return report
    if not isinstance(importer, RereadingImporter):
        msg = f"{type(importer).__name__} neither stages nor writes"
        raise TypeError(msg)
    # The second pass's own findings.
    written = Report(file.name, file.sha256, messages=report.messages)
    refused = set(report.refused_rows)
    await _pass(
        file, importer, written, actor, refused, progress, writer=importer, total=report.valid
    )
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
    writer: RereadingImporter | None = None,
    total: int | None = None,
    stager: StagedImporter | None = None,
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
        if stager is not None:
            await stager.stage([p for p in planned if p.action is not Action.UNCHANGED])
        if writer is not None:
            report.written += await writer.write(
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
