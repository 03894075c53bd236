"""What is wrong in a file, row by row: for the terminal, as JSON, and as an xlsx the
clerk fixes and uploads again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from jiceng.messages import KERNEL_MESSAGES, Messages
from jiceng.sheets.messages import SHEET_MESSAGES
from jiceng.sheets.writing import Sheet, to_xlsx

#: Texts of a report no service's texts were given to (the kernel's codes only).
_SHEET_TEXTS = Messages(KERNEL_MESSAGES, SHEET_MESSAGES)
#: Problems kept in one report; past this only the count grows (a wrong file, not a roster).
MAX_PROBLEMS = 10_000


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (sheet, row, column as the file heads it), the value, the rule."""

    sheet: str
    row: int
    column: str
    value: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    #: the texts it is told in: the importing service's, given when a report takes it
    texts: Messages | None = field(default=None, compare=False, repr=False)

    def message(self, *, english: bool = False) -> str:
        return (self.texts or _SHEET_TEXTS).render(self.code, self.params, english=english)[1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "rule": self.code,
            "message": self.message(),
            "message_en": self.message(english=True),
        }


@dataclass
class Report:
    """A dry run's or an import's outcome: rows read, valid, written, unchanged, refused."""

    file: str
    sha256: str
    rows: int = 0
    valid: int = 0
    #: rows that will be (or were) recorded as new, changed, or are recorded already
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    written: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    #: rows with at least one problem
    refused_rows: set[tuple[str, int]] = field(default_factory=set)
    #: the texts the problems are told in (the importing service's)
    messages: Messages = field(default_factory=lambda: _SHEET_TEXTS)

    def refuse(self, problem: Problem) -> None:
        self.problem_count += 1
        if problem.row:  # row 0: the file as a whole
            self.refused_rows.add((problem.sheet, problem.row))
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(replace(problem, texts=self.messages))

    @property
    def refused(self) -> int:
        return len(self.refused_rows)

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "rows": self.rows,
            "valid": self.valid,
            "refused": self.refused,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "written": self.written,
            "problem_count": self.problem_count,
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.summary(), "problems": [p.as_dict() for p in self.problems]}

    def xlsx(self) -> bytes:
        return problems_xlsx(p.as_dict() for p in self.problems)

    def print(self, *, english: bool = False) -> None:
        """The problems as a table on the terminal, then the counts."""
        from rich.console import Console
        from rich.table import Table

        console = Console()
        if self.problems:
            table = Table(title=f"{self.file}: {self.problem_count} problem(s)")
            for heading in ("sheet", "row", "column", "value", "rule", "message"):
                table.add_column(heading, overflow="fold")
            for p in self.problems[:200]:
                message = p.message(english=english)
                table.add_row(p.sheet, str(p.row), p.column, p.value, p.code, message)
            console.print(table)
            if len(self.problems) > 200:
                console.print(f"… {len(self.problems) - 200} more in the report file")
        counts = self.summary()
        console.print(
            f"rows {counts['rows']}, valid {counts['valid']}, refused {counts['refused']}; "
            f"new {counts['new']}, changed {counts['changed']}, unchanged {counts['unchanged']}; "
            f"written {counts['written']}"
        )


#: The report's columns: (heading, key of :meth:`Problem.as_dict`).
REPORT_COLUMNS = (
    ("工作表", "sheet"),
    ("行", "row"),
    ("列", "column"),
    ("值", "value"),
    ("规则", "rule"),
    ("说明", "message"),
    ("Message", "message_en"),
)


def problems_xlsx(problems: Iterable[dict[str, Any]]) -> bytes:
    """The problems as an xlsx the clerk works through (one row per problem)."""
    headers = [heading for heading, _ in REPORT_COLUMNS]
    rows = ([p.get(key) for _, key in REPORT_COLUMNS] for p in problems)
    return to_xlsx([Sheet("校验报告", headers, rows)])
