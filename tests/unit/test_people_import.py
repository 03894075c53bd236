"""Importing a member roster from a spreadsheet: what clerks really type, checked row by row,
nothing written unless every row is valid, re-imports idempotent, every event traceable."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

import gb11643
from jiceng.auth.principal import Role
from support import Api, copy_of_org

V1 = "/member-lifecycle/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "学历",
    "人员类别",
    "手机",
    "所在支部",
    "申请入党日期",
    "入党日期",
    "转正日期",
    "工作单位",
]
# Numbers made by the standard's arithmetic (tests/gb11643.py), not by the code under test.
ZHANG = gb11643.resident_id(date(1980, 5, 17), 11, "430121")  # male
LI = gb11643.resident_id(date(1992, 11, 3), 12, "430121")  # female
WANG = gb11643.resident_id(date(2001, 2, 28), 13, "430121")  # male


def xlsx(rows: list[list[Any]], *, title: str | None = None, header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "党员花名册"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows() -> list[list[Any]]:
    return [
        [
            1,
            "张  建国",
            "男",
            "汉族",
            "1980-05-17",
            ZHANG,
            "本科",
            "正式党员",
            "13907310011",
            "第一党支部",
            None,
            "2005.07.01",
            "2006.07.01",
            "县财政局",
        ],
        [
            2,
            "李晓红",
            "女",
            "汉族",
            datetime(1992, 11, 3),
            LI,
            "硕士研究生",
            "预备党员",
            None,
            "第一党支部",
            "2023/3/1",
            45839,
            None,
            "县财政局",
        ],  # 45839 = 2025-07-01 as a serial
        [
            3,
            "王小明",
            "男",
            "土家族",
            None,
            WANG,
            "大专",
            "入党申请人",
            "１３９０７３１００１３",
            "第一党支部",
            "2026年3月2日",
            None,
            None,
            "县财政局",
        ],
    ]


async def upload(api: Api, data: bytes, name: str = "花名册.xlsx", **params: Any) -> dict[str, Any]:
    response = await api.client.post(
        f"{V1}/imports/people",
        content=data,
        params={"filename": name, **params},
        headers={**api.headers(), "Content-Type": XLSX},
    )
    assert response.status_code == 202, response.text
    await api.runtime.imports.wait()
    job = await api.client.get(response.headers["Location"], headers=api.headers())
    assert job.status_code == 200, job.text
    body: dict[str, Any] = job.json()
    assert body["state"] == "succeeded", body
    return body


async def report(api: Api, job: dict[str, Any]) -> list[dict[str, Any]]:
    response = await api.client.get(f"{V1}/imports/jobs/{job['id']}/report", headers=api.headers())
    problems: list[dict[str, Any]] = response.json()["problems"]
    return problems


async def events(api: Api) -> list[dict[str, Any]]:
    response = await api.client.get(f"{V1}/events", params={"limit": 1000}, headers=api.headers())
    return [e for e in response.json()["events"] if e["type"].startswith("Person.")]


async def test_dry_run_then_import_writes_each_person_with_their_source(lifecycle_api: Api) -> None:
    api = lifecycle_api
    branch = await copy_of_org(api, "第一党支部")
    data = xlsx(good_rows(), title="县财政局党支部党员花名册（2026年）")
    checked = await upload(api, data)
    assert checked["summary"]["valid"] == 3 and checked["summary"]["new"] == 3
    assert await events(api) == []  # a dry run writes nothing

    imported = await upload(api, data, dry_run="false")
    assert imported["summary"]["written"] == 3, imported
    written = await events(api)
    digest = hashlib.sha256(data).hexdigest()
    registered = [e for e in written if e["type"] == "Person.Registered"]
    assert [e["payload"]["source"] for e in registered] == [
        {"file": "花名册.xlsx", "sheet": "党员花名册", "row": row, "sha256": digest}
        for row in (3, 4, 5)  # row 1 is the merged title, row 2 the header
    ]
    history = [e for e in written if e["type"] != "Person.Registered"]
    assert [e["type"] for e in history] == [
        "Person.MembershipImported",
        "Person.MembershipImported",
        "Person.StepRecorded",
    ]
    assert all(e["payload"]["evidence"]["origin"]["sha256"] == digest for e in history)
    assert {e["actor"] for e in written} == {"jwt:tester"}

    roster = await api.client.get(f"{V1}/orgs/{branch}/people", headers=api.headers())
    people = {p["name"]: p for p in roster.json()["items"]}
    assert set(people) == {"张 建国", "李晓红", "王小明"}  # full-width spaces folded, runs kept one
    assert people["王小明"]["phone"] == "*******0013"  # full-width digits read as digits
    record = await api.client.get(
        f"{V1}/people/{people['李晓红']['id']}/record", headers=api.headers()
    )
    assert record.json()["stage"] == "probationary"
    assert record.json()["dates"]["membership_since"] == "2025-07-01"
    assert record.json()["dates"]["applied_on"] == "2023-03-01"  # the roster's 申请入党日期


async def test_reimporting_the_same_file_writes_nothing_and_a_correction_writes_only_it(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    rows = good_rows()
    await upload(api, xlsx(rows), dry_run="false")
    before = len(await events(api))
    again = await upload(api, xlsx(rows), dry_run="false")
    assert again["summary"]["unchanged"] == 3 and again["summary"]["written"] == 0
    assert len(await events(api)) == before

    rows[1][6] = "博士研究生"  # 李晓红's education corrected
    corrected = await upload(api, xlsx(rows), name="花名册-更正.xlsx", dry_run="false")
    assert (corrected["summary"]["changed"], corrected["summary"]["written"]) == (1, 1)
    revised = (await events(api))[before:]
    assert [e["type"] for e in revised] == ["Person.ProfileRevised"]
    assert revised[0]["payload"]["education"] == "博士研究生"
    assert revised[0]["payload"]["source"]["file"] == "花名册-更正.xlsx"


async def test_faulty_rows_are_reported_and_nothing_is_written(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    await copy_of_org(api, "第二党支部")
    rows = good_rows()
    rows[0][5] = 4.30121198005171e17  # Excel stored the number as a number
    rows[1][9] = "第一支部"  # no such branch: the closest names suggested
    rows[2][2] = "M"  # a spelling the mapping does not know
    rows.append(list(rows[1]))  # the same person twice
    rows[3][9] = "第一党支部"
    rows.append(
        [
            5,
            "赵六",
            "男",
            "汉族",
            None,
            gb11643.resident_id(date(1970, 1, 1), 15),
            None,
            "正式党员",
            None,
            "第二党支部",
            None,
            "2010-07-01",
            "2009-07-01",
            None,
        ]
    )
    sun = gb11643.resident_id(date(1975, 6, 30), 17)
    rows.append([6, "孙七", "男", "汉族", None, sun, None, "正式党员", None, "第二党支部"])
    rows[-1] += [None, "2010-07-01", "2011-07-01", None]
    job = await upload(api, xlsx(rows), dry_run="false")
    assert job["summary"]["written"] == 0 and job["summary"]["refused"] == 5
    assert await events(api) == []
    problems = {(p["row"], p["column"]): p for p in await report(api, job)}
    stored_as_number = problems[(2, "身份证号")]
    assert stored_as_number["rule"] == "sheet.resident_id_stored_as_number"
    assert "丢失" in stored_as_number["message"] and "loses" in stored_as_number["message_en"]
    unknown = problems[(3, "所在支部")]
    assert unknown["rule"] == "sheet.org_unknown" and "第一党支部" in unknown["message"]
    assert problems[(4, "性别")]["rule"] == "sheet.value_unknown"
    duplicate = problems[(5, "身份证号")]
    assert duplicate["rule"] == "sheet.duplicate_row" and duplicate["value"].startswith("****")
    assert problems[(6, "转正日期")]["rule"] == "sheet.dates_out_of_order"

    accepted = await upload(api, xlsx(rows), dry_run="false", accept_valid="true")
    assert accepted["summary"]["written"] == 1
    assert {
        e["payload"]["name"] for e in await events(api) if e["type"] == "Person.Registered"
    } == {"孙七"}


async def test_a_future_date_is_reported_in_its_own_column(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    rows = good_rows()
    rows[0][12] = "2100-07-01"  # 转正日期 of a 正式党员
    rows[1][11] = "2100-07-01"  # 入党日期 of a 预备党员
    rows[2][10] = "2100-07-01"  # 申请入党日期 of an applicant
    job = await upload(api, xlsx(rows))
    found = [(p["row"], p["column"], p["rule"]) for p in await report(api, job)]
    assert found == [
        (2, "转正日期", "development.date_in_future"),
        (3, "入党日期", "development.date_in_future"),
        (4, "申请入党日期", "development.date_in_future"),
    ]


async def test_gbk_csv_with_serial_dates_and_blank_rows(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerow([])
    writer.writerow(
        [
            "1",
            "张建国",
            "男",
            "汉族",
            "",
            ZHANG,
            "本科",
            "正式党员",
            "",
            "第一党支部",
            "",
            "38534",
            "38899",
            "",
        ]
    )  # 2005-07-01 and 2006-07-01 as serials
    writer.writerow(["", "", "", "", "", "", "", "", "", "", "", "", "", ""])
    job = await upload(api, text.getvalue().encode("gbk"), name="roster.csv", dry_run="false")
    assert (job["summary"]["rows"], job["summary"]["written"]) == (1, 1), await report(api, job)


async def test_a_person_under_another_branch_is_reported_never_moved(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    await copy_of_org(api, "第二党支部")
    rows = good_rows()[:1]
    await upload(api, xlsx(rows), dry_run="false")
    rows[0][9] = "第二党支部"
    job = await upload(api, xlsx(rows), dry_run="false")
    problem = (await report(api, job))[0]
    assert problem["rule"] == "import.registered_elsewhere"
    assert job["summary"]["written"] == 0


async def test_scoped_admin_imports_only_into_their_subtree(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await copy_of_org(api, "县直机关工委", "committee")
    await copy_of_org(api, "第一党支部", parent=committee)
    other = await copy_of_org(api, "乡镇党委", "committee")
    await copy_of_org(api, "村党支部", parent=other)
    rows = good_rows()[:1]
    rows[0][9] = "村党支部"
    headers = {**api.headers(Role.ORG_ADMIN, org=committee), "Content-Type": XLSX}
    response = await api.client.post(
        f"{V1}/imports/people", content=xlsx(rows), params={"dry_run": "false"}, headers=headers
    )
    await api.runtime.imports.wait()
    job = await api.client.get(response.headers["Location"], headers=headers)
    assert job.json()["summary"]["written"] == 0
    problems = (
        await api.client.get(f"{V1}/imports/jobs/{job.json()['id']}/report", headers=headers)
    ).json()["problems"]
    assert problems[0]["rule"] == "sheet.org_unknown"
    assert "村党支部" not in problems[0]["message"].split("：", 1)[-1]  # never suggested
    outsider = api.headers(Role.ORG_ADMIN, org=other)
    hidden = await api.client.get(response.headers["Location"], headers=outsider)
    assert hidden.status_code == 404


async def test_report_and_template_download_as_xlsx(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    rows = good_rows()
    rows[0][5] = "43012119800517001"  # 17 characters
    job = await upload(api, xlsx(rows))
    response = await api.client.get(
        f"{V1}/imports/jobs/{job['id']}/report", params={"format": "xlsx"}, headers=api.headers()
    )
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][:4] == ("工作表", "行", "列", "值")
    assert cells[1][1:3] == (2, "身份证号") and cells[1][3].startswith("*")
    template = await api.client.get(f"{V1}/imports/people/template", headers=api.headers())
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert sheet is not None
    header = next(sheet.iter_rows(values_only=True))
    assert header[:5] == ("*姓名", "*性别", "*民族", "出生日期", "*身份证号")  # required marked
    assert sheet["E2"].number_format == "@"  # the 身份证号 column is text: no 4.30121E+17
    # the template as filled in by a clerk imports (the marks are read past)
    typed = dict(zip(HEADER, good_rows()[0], strict=True))
    for column, heading in enumerate(header, start=1):
        sheet.cell(row=2, column=column, value=typed.get(str(heading).lstrip("*")))
    filled = io.BytesIO()
    sheet.parent.save(filled)
    job = await upload(api, filled.getvalue())
    assert job["summary"]["valid"] == 1, await report(api, job)


async def test_an_upload_that_is_not_a_spreadsheet(lifecycle_api: Api) -> None:
    api = lifecycle_api
    job = await upload(api, b"\xd0\xcf\x11\xe0 old excel", name="old.xls")
    assert (await report(api, job))[0]["rule"] == "sheet.xls_unsupported"
    job = await upload(api, b"PK\x03\x04 broken zip", name="broken.xlsx")
    assert (await report(api, job))[0]["rule"] == "sheet.unreadable"
    assert asyncio.get_running_loop() is not None


# (column index, typed value, the column the report names, the rule) — one faulty cell each
FAULTS = [
    (5, gb11643.with_wrong_check(ZHANG), "身份证号", "ids.resident_id_check_digit"),
    (2, "女", "性别", "person.gender_mismatch"),  # the 17th digit of ZHANG is odd: a man
    (4, "1980-05-18", "出生日期", "person.birth_date_mismatch"),
    (1, None, "姓名", "sheet.required"),
    (3, None, "民族", "sheet.required"),
    (9, None, "所在支部", "sheet.required"),
    (7, "发展对象", "人员类别", "import.category_by_steps"),
    (12, None, "转正日期", "import.date_required"),  # a 正式党员 needs it
    (11, "2099-07-01", "入党日期", "development.date_in_future"),
    (12, "2005-12-31", "转正日期", "membership.import_formal_since"),  # before a year's probation
    (8, "无", "手机", "sheet.phone_invalid"),
]


@pytest.mark.parametrize(("column", "typed", "heading", "rule"), FAULTS)
async def test_each_fault_names_its_column_and_rule(
    lifecycle_api: Api, column: int, typed: object, heading: str, rule: str
) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    row = good_rows()[0]
    row[column] = typed
    if rule == "development.date_in_future":
        row[12] = "2100-07-01"
    job = await upload(api, xlsx([row]), dry_run="false")
    problems = await report(api, job)
    assert [(p["row"], p["column"], p["rule"]) for p in problems] == [(2, heading, rule)], problems
    assert job["summary"]["written"] == 0 and await events(api) == []


async def test_an_applicant_under_age_on_the_day_they_applied(lifecycle_api: Api) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    row = good_rows()[2]  # 王小明, born 2001-02-28
    row[10] = "2019-02-27"  # the day before his 18th birthday
    job = await upload(api, xlsx([row]), dry_run="false")
    assert [p["rule"] for p in await report(api, job)] == ["development.applicant_too_young"]
    row[10] = "2019-02-28"  # his 18th birthday
    job = await upload(api, xlsx([row]), dry_run="false")
    assert job["summary"]["written"] == 1


async def test_a_control_character_in_a_csv_cell_is_refused(lifecycle_api: Api) -> None:
    # xlsx cannot hold one (the format forbids it); a CSV can. A line break folds to a space.
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    row = [str(v) if v is not None else "" for v in good_rows()[0]]
    row[1] = "张\x07三"
    writer.writerow(row)
    job = await upload(api, text.getvalue().encode(), name="roster.csv", dry_run="false")
    problems = await report(api, job)
    assert [(p["column"], p["rule"]) for p in problems] == [("姓名", "sheet.not_single_line")]


async def test_what_rosters_often_hold_is_read_as_the_register_spells_it(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    branch = await copy_of_org(api, "第一党支部")
    header = [h if h != "出生日期" else "出生年月" for h in HEADER]
    rows = good_rows()
    rows[0][3] = "汉"  # 民族 without 族
    rows[0][4] = "1980.05"  # 出生年月: ZHANG was born in May 1980
    rows[1][4] = "1992年10月"  # LI was born in November 1992: refused, month masked
    job = await upload(api, xlsx(rows, header=header), dry_run="false", accept_valid="true")
    problems = await report(api, job)
    assert [(p["row"], p["column"], p["rule"], p["value"]) for p in problems] == [
        (3, "出生年月", "person.birth_date_mismatch", "****-**-**")
    ]
    assert "1992" not in problems[0]["message"]
    roster = await api.client.get(f"{V1}/orgs/{branch}/people", headers=api.headers())
    zhang = next(p for p in roster.json()["items"] if p["name"] == "张 建国")
    assert zhang["ethnicity"] == "汉族"


async def test_a_column_the_file_lacks_is_named_as_the_template_names_it(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    await copy_of_org(api, "第一党支部")
    header = [h for h in HEADER if h != "转正日期"]
    row = [v for h, v in zip(HEADER, good_rows()[0], strict=True) if h != "转正日期"]
    problems = await report(api, await upload(api, xlsx([row], header=header)))
    assert [(p["column"], p["rule"]) for p in problems] == [("转正日期", "import.date_required")]


async def test_uploads_that_are_not_spreadsheets_by_type_or_name(lifecycle_api: Api) -> None:
    api = lifecycle_api
    as_json = await api.client.post(
        f"{V1}/imports/people",
        content=b'{"a": 1}',
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    assert (as_json.status_code, as_json.json()["code"]) == (415, "import.media_type")
    spoofed = await api.client.post(
        f"{V1}/imports/people",
        content=xlsx(good_rows()),
        params={"filename": "\u202exslx.exe"},  # shows as exe.xlsx
        headers={**api.headers(), "Content-Type": XLSX},
    )
    assert spoofed.status_code == 422
