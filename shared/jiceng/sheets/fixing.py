"""The report a clerk fixes and imports again: the refused rows as the file had them, each
with what is wrong beside it, then the list of problems.

Only where the file is at hand (``jiceng import … --report``): the service keeps no upload,
so the report it serves lists the problems, personal data masked.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetFile
from jiceng.sheets.report import REPORT_COLUMNS, Report
from jiceng.sheets.writing import Sheet, to_xlsx

#: The column a fixable sheet adds (ignored when the sheet is imported again).
PROBLEMS_COLUMN = "问题 / Problems"


def fixable_xlsx(file: SheetFile, mapping: Mapping, report: Report) -> bytes:
    """Sheet 1: the refused rows (the mapped columns, as read) and their problems; sheet 2:
    every problem. Fix sheet 1 and import the file again (with ``--accept-valid`` the rows
    already written are found unchanged)."""
    messages: dict[tuple[str, int], list[str]] = defaultdict(list)
    for problem in report.problems:
        messages[(problem.sheet, problem.row)].append(f"{problem.column}: {problem.message()}")
    fields = list(mapping.columns)
    headers: list[str] = [mapping.header(name) for name in fields]
    refused: list[list[Any]] = []
    if messages:
        for row in file.rows(mapping):
            found = messages.get((row.sheet, row.number))
            if found:
                headers = [row.headers.get(name, mapping.header(name)) for name in fields]
                refused.append([row.cells.get(name) for name in fields] + ["；".join(found)])
    problems = ([p.as_dict()[key] for _, key in REPORT_COLUMNS] for p in report.problems)
    return to_xlsx(
        [
            Sheet("待修正", [*headers, PROBLEMS_COLUMN], refused),
            Sheet("校验报告", [heading for heading, _ in REPORT_COLUMNS], problems),
        ]
    )
