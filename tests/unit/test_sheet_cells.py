"""What clerks type into cells, read as the values they meant or refused with a reason.

Dates come from Excel's documented 1900 date system (serial 1 = 1900-01-01, serial 60 the
fictitious 1900-02-29, so 1900-03-01 is 61 and 2019-07-01 is 43647); identity numbers from the
standard's own examples (GB 11643-1999).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

import gb11643
from jiceng.sheets import cells
from jiceng.sheets.cells import CellError
from jiceng.sheets.mapping import Mapping


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2019-07-01", date(2019, 7, 1)),
        ("2019/7/1", date(2019, 7, 1)),
        ("2019.07.01", date(2019, 7, 1)),
        ("2019年7月1日", date(2019, 7, 1)),
        ("２０１９．０７．０１", date(2019, 7, 1)),  # full-width digits and stop
        ("20190701", date(2019, 7, 1)),
        (43647, date(2019, 7, 1)),  # an Excel serial
        (43647.0, date(2019, 7, 1)),
        ("43647", date(2019, 7, 1)),  # a serial that came through CSV as text
        (61, date(1900, 3, 1)),
        (datetime(2019, 7, 1, 0, 0), date(2019, 7, 1)),
        (date(2019, 7, 1), date(2019, 7, 1)),
        ("  ", None),
        (None, None),
    ],
)
def test_dates_as_clerks_type_them(typed: object, meant: date | None) -> None:
    assert cells.day(typed) == meant


@pytest.mark.parametrize(
    "typed", ["2019-02-30", "2019.13.01", "1899.12.31", "明年", 43647.5, 0, True]
)
def test_what_is_not_a_date(typed: object) -> None:
    with pytest.raises(CellError) as refused:
        cells.day(typed)
    assert refused.value.code == "sheet.date_invalid"


@pytest.mark.parametrize("example", gb11643.STANDARD_EXAMPLES)
def test_identity_numbers_as_text_are_kept_whole(example: str) -> None:
    assert cells.resident_id(example) == example
    assert cells.resident_id(f" {example.lower()} ") == example.upper()  # a lower-case x
    full_width = example.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert cells.resident_id(full_width) == example


@pytest.mark.parametrize("stored", [4.40524188001010e17, 440524188001010014, "4.40524E+17"])
def test_an_identity_number_excel_stored_as_a_number_is_refused(stored: object) -> None:
    # Excel keeps 15 significant digits: the last three of 440524188001010014 are gone.
    with pytest.raises(CellError) as refused:
        cells.resident_id(stored)
    assert refused.value.code == "sheet.resident_id_stored_as_number"


def test_text_and_phones() -> None:
    assert cells.text("　张　三　") == "张 三"  # ideographic spaces folded and trimmed
    assert cells.text(12.0) == "12"
    assert cells.phone(13907310011.0) == "13907310011"
    assert cells.phone("139-0731-0011") == "13907310011"
    with pytest.raises(CellError):
        cells.phone("无")


MAPPING = """
required = ["name"]
[columns]
name = ["姓名"]
gender = ["性别"]
[values.gender]
"男" = "male"
"女" = "female"
"""


def test_a_department_mapping_lays_its_names_over_the_default() -> None:
    base = Mapping.parse(MAPPING)
    own = Mapping.parse('[columns]\nname = ["党员姓名"]\n[values.gender]\n"M" = "male"\n').over(
        base
    )
    assert own.header("name") == "党员姓名" and own.field_of("姓名") == "name"
    assert own.field_of(" *姓 名 ") == "name"  # required-marks and spaces in headers
    assert own.code("gender", "M") == "male" and own.code("gender", "女") == "female"
    assert own.code("gender", "male") == "male"
    with pytest.raises(CellError) as refused:
        own.code("gender", "未知")
    assert refused.value.code == "sheet.value_unknown"
    with pytest.raises(CellError) as unknown:
        Mapping.parse('[columns]\nshoe_size = ["鞋码"]\n').over(base)
    assert unknown.value.code == "sheet.mapping_unknown_field"
    with pytest.raises(CellError):
        Mapping.parse("[columns\nname=")
