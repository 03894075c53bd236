"""Reading rosters as departments keep them: xlsx with titles and merged two-row headers,
CSV in UTF-8 (with or without BOM) and GB18030, blank rows, columns nobody asked for."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from jiceng.sheets.cells import CellError
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetFile

MAPPING = Mapping.parse(
    """
required = ["name", "admitted_on"]
[columns]
name = ["姓名"]
branch = ["所在支部"]
admitted_on = ["入党日期"]
formal_since = ["转正日期"]
"""
)


def rows_of(data: bytes, name: str = "f.xlsx") -> list[tuple[str, int, dict[str, object]]]:
    return [(r.sheet, r.number, r.cells) for r in SheetFile.from_bytes(data, name).rows(MAPPING)]


def test_a_two_row_header_merged_over_columns_and_rows() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名册"
    sheet.append(["某县党员名册"])  # a title merged across the sheet
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "姓名", "所在支部", "党内时间", None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    sheet.merge_cells("D2:E2")
    sheet.append([None, None, None, "入党日期", "转正日期"])
    sheet.append([1, "张三", "第一党支部", "2005-07-01", "2006-07-01"])
    sheet.append([None, None, None, None, None])  # a blank row
    sheet.append([2, "李四", "第一党支部", "2010-07-01", None])
    out = io.BytesIO()
    book.save(out)
    assert rows_of(out.getvalue()) == [
        (
            "名册",
            4,
            {
                "name": "张三",
                "branch": "第一党支部",
                "admitted_on": "2005-07-01",
                "formal_since": "2006-07-01",
            },
        ),
        (
            "名册",
            6,
            {
                "name": "李四",
                "branch": "第一党支部",
                "admitted_on": "2010-07-01",
                "formal_since": None,
            },
        ),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_excel_writes(encoding: str) -> None:
    text = "序号,姓名,入党日期\r\n1,张三,2005.07.01\r\n,,\r\n2,欧阳㛃,2010/7/1\r\n"
    if encoding == "gbk":
        text = text.replace("欧阳㛃", "欧阳娜")  # GBK has no 㛃; GB18030 does
    rows = rows_of(text.encode(encoding), "名册.csv")
    assert [(r[1], r[2]["name"]) for r in rows] == [
        (2, "张三"),
        (4, "欧阳娜" if encoding == "gbk" else "欧阳㛃"),
    ]


def test_files_that_are_not_rosters() -> None:
    with pytest.raises(CellError) as old:
        rows_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls")
    assert old.value.code == "sheet.xls_unsupported"
    with pytest.raises(CellError) as broken:
        rows_of(b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert broken.value.code == "sheet.unreadable"
    with pytest.raises(CellError) as headless:
        rows_of("甲,乙\n1,2\n".encode(), "other.csv")
    assert headless.value.code == "sheet.header_not_found"
    assert "姓名" in headless.value.params["expected"]


def test_a_zip_bomb_is_refused_before_it_is_read() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            chunk = b"<si><t>" + b"A" * (1 << 20) + b"</t></si>"
            for _ in range(200):  # 200 MiB of strings, a few hundred KiB packed
                member.write(chunk)
    assert len(out.getvalue()) < 2 << 20
    with pytest.raises(CellError) as refused:
        rows_of(out.getvalue(), "bomb.xlsx")
    assert refused.value.code == "sheet.too_large"


def test_binary_garbage_is_not_a_csv() -> None:
    with pytest.raises(CellError) as refused:
        rows_of(b"\x81\xfd\xfe\xff" * 50 + "姓名,入党日期\n".encode(), "garbage.csv")
    assert refused.value.code == "sheet.unreadable"


def test_a_name_with_hidden_characters_is_refused() -> None:
    from jiceng.text import has_invisible_characters

    assert has_invisible_characters("\u202e部支反")  # right-to-left override
    assert has_invisible_characters("张\u200b三")  # zero-width space
    assert not has_invisible_characters("张三 (Zhang San)")
