"""Imports and reports as an outsider, a careless clerk and a hostile uploader use them."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import gb11643
from jiceng.auth.principal import Role
from jiceng.sheets.cells import CellError
from jiceng.sheets.reading import SheetFile
from member_lifecycle.imports import default_mapping
from support import Api, copy_of_org
from test_people_import import V1, XLSX, report, upload, xlsx

HEADER = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "人员类别",
    "手机",
    "所在支部",
    "入党日期",
    "转正日期",
]
PERSON = gb11643.resident_id(date(1985, 1, 3), 21, "430121")


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


async def test_an_outsider_cannot_tell_an_id_number_is_registered_elsewhere(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    mine = await copy_of_org(api, "计算机学院党总支", "general_branch")
    await copy_of_org(api, "教工党支部", parent=mine)
    theirs = await copy_of_org(api, "数学学院党总支", "general_branch")
    await copy_of_org(api, "数学党支部", parent=theirs)
    row = [
        "甲",
        "男",
        "汉族",
        None,
        PERSON,
        "正式党员",
        None,
        "数学党支部",
        "2005-07-01",
        "2006-07-01",
    ]
    await upload(api, xlsx([row], header=HEADER), dry_run="false")
    row[7] = "教工党支部"
    headers = {**api.headers(Role.ORG_ADMIN, org=mine), "Content-Type": XLSX}
    response = await api.client.post(
        f"{V1}/imports/people", content=xlsx([row], header=HEADER), headers=headers
    )
    await api.runtime.imports.wait()
    job = (await api.client.get(response.headers["Location"], headers=headers)).json()
    problems = (
        await api.client.get(f"{V1}/imports/jobs/{job['id']}/report", headers=headers)
    ).json()["problems"]
    # One record per 身份证号: registering the number anywhere answers that it is taken
    # (POST /people says the same, 409). Outside the caller's subtree nothing more is said:
    # not "another branch", not which.
    assert [(p["column"], p["rule"]) for p in problems] == [
        ("身份证号", "person.already_registered")
    ], problems
    assert "数学" not in str(problems)


async def test_report_messages_never_show_personal_data_the_value_column_masks(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    born_other = gb11643.resident_id(date(1985, 1, 3), 23, "430121")
    rows = [
        # a first-generation 15-digit number Excel kept whole as a number
        [
            "甲",
            "男",
            "汉族",
            None,
            430121850102515,
            "正式党员",
            None,
            "第一党支部",
            "2005-07-01",
            "2006-07-01",
        ],
        [
            "乙",
            "男",
            "汉族",
            None,
            PERSON,
            "正式党员",
            "13800000005x",
            "第一党支部",
            "2005-07-01",
            "2006-07-01",
        ],
        [
            "丙",
            "男",
            "汉族",
            "1985-01-04",
            born_other,
            "正式党员",
            None,
            "第一党支部",
            "2005-07-01",
            "2006-07-01",
        ],
        [
            "丁",
            "男",
            "汉族",
            "1985.01",
            gb11643.resident_id(date(1985, 1, 9), 25),
            "正式党员",
            None,
            "第一党支部",
            "2005-07-01",
            "2006-07-01",
        ],
    ]
    job = await upload(api, xlsx(rows, header=HEADER))
    problems = await report(api, job)
    shown = " ".join(p["message"] + p["message_en"] for p in problems)
    for whole in ("430121850102515", "13800000005", "1985-01-04", "1985.01"):
        assert whole not in shown, (whole, problems)


async def test_an_id_number_problem_says_what_is_wrong(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    wrong = PERSON[:-1] + ("1" if PERSON[-1] != "1" else "2")
    row = [
        "甲",
        "男",
        "汉族",
        None,
        wrong,
        "正式党员",
        None,
        "第一党支部",
        "2005-07-01",
        "2006-07-01",
    ]
    problem = (await report(api, await upload(api, xlsx([row], header=HEADER))))[0]
    assert problem["rule"] == "ids.resident_id_check_digit"
    assert problem["message"] != problem["value"]  # not just the masked number again
    assert "校验" in problem["message"]


async def test_the_xlsx_report_of_cells_with_control_characters(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    data = csv_bytes(
        ",".join(HEADER),
        f"甲\x00乙,男,汉族,,{PERSON},正式党员,,第一党支部,2005-07-01,2006-07-01",
        f"丙\x1b[31m,男,汉族,,{PERSON},正式党员,,第一党支部,2005-07-01,2006-07-01",
    )
    job = await upload(api, data, name="控制字符.csv")
    response = await api.client.get(
        f"{V1}/imports/jobs/{job['id']}/report", params={"format": "xlsx"}, headers=api.headers()
    )
    assert response.status_code == 200, response.text
    cells = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(cells) > 1


async def test_a_utf8_csv_with_one_stray_byte_is_reported_not_a_failed_job(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    data = csv_bytes(
        ",".join(HEADER), f"甲,男,汉族,,{PERSON},正式党员,,第一党支部,2005-07-01,2006-07-01"
    )
    data += b"caf\xe9\n"
    job = await upload(api, data, name="花名册.csv")  # asserts the job succeeded
    assert (await report(api, job))[0]["rule"] == "sheet.unreadable"


async def test_binary_garbage_as_csv_is_reported_not_a_failed_job(lifecycle_api: Api) -> None:
    api = lifecycle_api
    job = await upload(api, bytes(range(256)) * 64, name="garbage.csv")
    assert (await report(api, job))[0]["rule"] in ("sheet.unreadable", "sheet.header_not_found")


async def test_a_file_refused_as_a_whole_counts_no_negative_valid_rows(lifecycle_api: Api) -> None:
    api = lifecycle_api
    job = await upload(api, b'{"not": "a roster"}', name="x.csv")
    assert job["summary"]["rows"] == 0
    assert job["summary"]["valid"] == 0, job["summary"]


async def test_an_imported_member_was_at_least_18_when_admitted(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    child = gb11643.resident_id(date(2009, 5, 5), 3)
    row = [
        "少年",
        "男",
        "汉族",
        None,
        child,
        "正式党员",
        None,
        "第一党支部",
        "2025-06-01",
        "2026-06-01",
    ]
    job = await upload(api, xlsx([row], header=HEADER))
    assert job["summary"]["valid"] == 0, job["summary"]


def _book(sheet_xml: str) -> bytes:
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {main} xmlns:r="{rel}"><sheets><sheet name="S" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {main}>{sheet_xml}</worksheet>")
    return out.getvalue()


def _header_row() -> str:
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip(
            "ABCDEF", ["姓名", "性别", "民族", "身份证号", "人员类别", "所在支部"], strict=True
        )
    )
    return f'<row r="1">{cells}</row>'


@pytest.fixture
def deadline() -> Iterator[None]:
    def expired(*_: Any) -> None:
        raise TimeoutError("reading took too long")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_tiny_xlsx_claiming_the_whole_grid_reads_quickly(tmp_path: Path, deadline: None) -> None:
    """A 2 KB file whose <dimension> claims A1:XFD1048576: every row padded to 16,384 cells."""
    body = _book(
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        f'{_header_row()}<row r="30000"><c r="A30000" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData>"
    )
    started = time.monotonic()
    try:
        rows = list(SheetFile.from_bytes(body, "dim.xlsx").rows(default_mapping()))
    except CellError:
        rows = []
    assert len(rows) <= 1
    assert time.monotonic() - started < 10


def test_a_small_xlsx_with_one_very_wide_row_stays_within_memory(tmp_path: Path) -> None:
    """A few KB that unpack to 8 MB of empty cells in one row: reading must not hold them all."""
    body = _book(f'<sheetData>{_header_row()}<row r="2">{"<c/>" * 2_000_000}</row></sheetData>')
    assert len(body) < 100_000
    path = tmp_path / "wide.xlsx"
    path.write_bytes(body)
    # The high-water mark of this process's own memory (VmHWM), not getrusage's maxrss,
    # which on Linux carries over the forking test runner's size across exec.
    script = (
        "import re\n"
        "from pathlib import Path\n"
        "from jiceng.sheets.reading import SheetFile\n"
        "from member_lifecycle.imports import default_mapping\n"
        "try:\n"
        f"    list(SheetFile.from_path(Path({str(path)!r})).rows(default_mapping()))\n"
        "except Exception:\n"
        "    pass\n"
        "status = Path('/proc/self/status').read_text()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    peak_mib = int(done.stdout.strip().splitlines()[-1])
    assert peak_mib < 300, f"{peak_mib} MiB to read a {len(body)} byte upload"
