"""The empty spreadsheet an import reads: its columns as the mapping heads them, required
ones marked ``*``, and the columns of numbers kept as text (Excel would otherwise turn an
18-digit 身份证号 into ``4.30121E+17`` and lose its last digits)."""

from __future__ import annotations

import io

from jiceng.sheets.mapping import Mapping

#: Fields typed as digits that are not numbers.
TEXT_FIELDS = ("resident_id", "phone", "code", "parent", "branch")


def template_xlsx(mapping: Mapping, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    for index, name in enumerate(mapping.columns, start=1):
        required = name in mapping.required
        cell = sheet.cell(
            row=1, column=index, value=("*" if required else "") + mapping.header(name)
        )
        cell.font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 16
        if name in TEXT_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, 1002):  # cells already formatted as text, for pasting too
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    # What each column takes: required or not, and the spellings a column of values reads.
    guide = book.create_sheet("填写说明")
    guide.append(["列", "必填", "可填写的值", "也认作此列的列名"])
    for name, headers in mapping.columns.items():
        spellings = mapping.values.get(name, {})
        by_code: dict[str, list[str]] = {}
        for spelled, code in spellings.items():
            by_code.setdefault(code, []).append(spelled)
        allowed = "、".join(words[0] for words in by_code.values())
        also = "、".join(headers[1:])
        guide.append([headers[0], "是" if name in mapping.required else "", allowed, also])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
