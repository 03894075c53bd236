"""The report a clerk fixes: the refused rows as the file had them, and it imports again."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from jiceng.sheets.fixing import PROBLEMS_COLUMN, fixable_xlsx
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetFile
from jiceng.sheets.report import Problem, Report

MAPPING = Mapping.parse('[columns]\nname = ["姓名"]\nadmitted_on = ["入党日期"]\n')


def test_the_refused_rows_come_back_with_their_problems_and_import_again() -> None:
    roster = "序号,姓名,入党日期\n1,张三,2005-07-01\n2,李四,2005-13-01\n".encode()
    file = SheetFile.from_bytes(roster, "名册.csv")
    report = Report(file.name, file.sha256)
    report.refuse(
        Problem(
            "名册.csv", 3, "入党日期", "2005-13-01", "sheet.date_invalid", {"value": "2005-13-01"}
        )
    )
    book = load_workbook(io.BytesIO(fixable_xlsx(file, MAPPING, report)))
    to_fix, problems = book.worksheets
    rows = list(to_fix.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "入党日期", PROBLEMS_COLUMN)
    assert rows[1][:2] == ("李四", "2005-13-01") and "不是日期" in rows[1][2]
    assert next(problems.iter_rows(min_row=2, values_only=True))[:2] == ("名册.csv", 3)

    to_fix["B2"] = "2005-12-01"  # the clerk's correction
    fixed = io.BytesIO()
    book.save(fixed)
    again = list(SheetFile.from_bytes(fixed.getvalue(), "fixed.xlsx").rows(MAPPING))
    assert [(r.sheet, r.cells) for r in again] == [
        ("待修正", {"name": "李四", "admitted_on": "2005-12-01"})
    ]
