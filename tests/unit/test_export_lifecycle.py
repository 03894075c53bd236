"""Roster, pipeline and to-do downloads: the JSON's rows, scope and masks, as xlsx and CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import openpyxl

import gb11643
from jiceng.auth.principal import Role
from support import Api, copy_of_org, formal_members

V1 = "/member-lifecycle/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER_HEADERS = [
    "姓名",
    "性别",
    "民族",
    "年龄",
    "身份证号",
    "联系电话",
    "学历",
    "职业",
    "工作单位",
    "所在党组织",
    "阶段",
    "最近步骤",
    "转正日期",
    "预备期满日期",
    "党籍状态",
    "转往党组织",
    "流出去向",
    "人员ID",
]


def xlsx_rows(content: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel on Chinese Windows reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def person(
    api: Api, branch: str, name: str, serial: int, phone: str, born: date = date(1988, 5, 20)
) -> dict[str, Any]:
    body = {
        "name": name,
        "gender": "male" if serial % 2 else "female",
        "ethnicity": "回族",
        "resident_id": gb11643.resident_id(born, serial, region="320102"),
        "phone": phone,
        "education": "硕士研究生",
        "occupation": "教师",
        "work_unit": "某大学",
        "branch_id": branch,
    }
    response = await api.client.post(f"{V1}/people", json=body, headers=api.headers())
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def every_item(api: Api, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """All items of a JSON list, page after page (small pages, to walk the cursor)."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = (await api.client.get(path, params=params, headers=headers)).json()
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        params["cursor"] = page["next_cursor"]


async def tree(api: Api) -> tuple[str, str, str]:
    committee = await copy_of_org(api, "某大学党委", "committee")
    branch = await copy_of_org(api, "数学学院教工党支部", "branch", committee)
    elsewhere = await copy_of_org(api, "某区委", "committee", domain="government")
    return committee, branch, elsewhere


async def test_the_roster_file_holds_the_json_rows_with_the_same_masks(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee, branch, _ = await tree(api)
    await person(api, branch, "王芳", 2, "13912345678")
    await person(api, branch, "=1+2", 3, "+86 139 0000 4321")
    await person(api, branch, "李四", 5, "021-6543 2109", born=date(1975, 12, 31))
    await formal_members(api, branch, 2)
    scoped = api.headers(Role.ORG_ADMIN, org=uuid.UUID(committee))
    roster = await every_item(api, f"{V1}/orgs/{committee}/roster", scoped)
    people = {p["id"]: p for p in await every_item(api, f"{V1}/orgs/{committee}/people", scoped)}
    assert len(roster) == 5

    answer = await api.client.get(f"{V1}/orgs/{committee}/roster/export", headers=scoped)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    name = f"某大学党委-花名册-{api.runtime.clock().isoformat()}.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in answer.headers["content-disposition"]
    assert answer.headers["content-disposition"].startswith("attachment;")
    rows = xlsx_rows(answer.content)
    assert rows[0] == ROSTER_HEADERS
    assert len(rows) - 1 == len(roster)

    csv_answer = await api.client.get(
        f"{V1}/orgs/{committee}/roster/export", params={"format": "csv"}, headers=scoped
    )
    assert csv_answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert ".csv" in csv_answer.headers["content-disposition"]
    lines = csv_rows(csv_answer.content)
    assert lines[0] == ROSTER_HEADERS
    assert len(lines) - 1 == len(roster)

    column = {h: n for n, h in enumerate(ROSTER_HEADERS)}
    by_id = {r[column["人员ID"]]: r for r in rows[1:]}
    for entry in roster:
        row, shown = by_id[entry["id"]], people[entry["id"]]
        # The masks are the JSON's: 身份证号 to its last two characters, the phone to its last
        # four digits, the age instead of the birth date.
        assert row[column["身份证号"]] == shown["resident_id"]
        assert row[column["身份证号"]].endswith(shown["resident_id"][-2:])
        assert row[column["身份证号"]].count("*") == 16
        assert row[column["联系电话"]] == shown["phone"]
        assert row[column["年龄"]] == entry["age"]
        assert row[column["姓名"]] == entry["name"]
        assert row[column["所在党组织"]] == "数学学院教工党支部"
    for line in lines[1:]:
        assert line[column["身份证号"]] == people[line[column["人员ID"]]]["resident_id"]
        assert line[column["联系电话"]] == (people[line[column["人员ID"]]]["phone"] or "")
    # No whole number, phone or birth date anywhere in either file.
    text = "\n".join(",".join(str(c) for c in r) for r in rows) + "\n".join(map(str, lines))
    for whole in ("13912345678", "6543 2109", "19751231", "1975-12-31", "1988-05-20"):
        assert whole not in text

    li = by_id[next(e["id"] for e in roster if e["name"] == "李四")]
    assert (li[column["性别"]], li[column["民族"]], li[column["阶段"]]) == (
        "男",
        "回族",
        "登记人员",
    )
    assert li[column["年龄"]] == full_years(date(1975, 12, 31), api.runtime.clock())
    wang = by_id[next(e["id"] for e in roster if e["name"] == "王芳")]
    assert wang[column["联系电话"]].endswith("5678") and wang[column["性别"]] == "女"
    member = next(r for r in rows[1:] if r[column["阶段"]] == "正式党员")
    assert member[column["转正日期"]] == datetime(2011, 7, 1)
    assert member[column["党籍状态"]] == "正常"


def full_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


async def test_a_name_that_looks_like_a_formula_stays_text(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee, branch, _ = await tree(api)
    await person(api, branch, '=HYPERLINK("http://evil.example","点我")', 3, "13800001111")
    await person(api, branch, "@SUM(A1)", 5, "13800002222")
    path = f"{V1}/orgs/{committee}/roster/export"
    book = openpyxl.load_workbook(
        io.BytesIO((await api.client.get(path, headers=api.headers())).content)
    )
    names = list(book.worksheets[0]["A"][1:])
    assert sorted(c.value for c in names) == [
        '=HYPERLINK("http://evil.example","点我")',
        "@SUM(A1)",
    ]
    assert {c.data_type for c in names} == {"s"}  # text cells, not formulas ("f")
    lines = csv_rows(
        (await api.client.get(path, params={"format": "csv"}, headers=api.headers())).content
    )
    assert sorted(line[0] for line in lines[1:]) == [
        '\'=HYPERLINK("http://evil.example","点我")',
        "'@SUM(A1)",
    ]


async def test_out_of_scope_and_bad_format_answer_as_the_json_does(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee, branch, elsewhere = await tree(api)
    await person(api, branch, "王芳", 2, "13912345678")
    other_admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(elsewhere))
    for what in ("roster", "pipeline", "to-do"):
        listed = await api.client.get(f"{V1}/orgs/{committee}/{what}", headers=other_admin)
        exported = await api.client.get(f"{V1}/orgs/{committee}/{what}/export", headers=other_admin)
        assert (listed.status_code, exported.status_code) == (404, 404)
        assert exported.headers["content-type"] == "application/problem+json"
        assert exported.json()["code"] == listed.json()["code"] == "resource.not_found"
        assert exported.json()["detail"] == listed.json()["detail"]
        assert "王芳" not in exported.text
        member = api.headers(Role.MEMBER, org=uuid.UUID(committee))
        forbidden = await api.client.get(f"{V1}/orgs/{committee}/{what}/export", headers=member)
        assert forbidden.status_code == 403
        bad = await api.client.get(
            f"{V1}/orgs/{committee}/{what}/export", params={"format": "pdf"}, headers=api.headers()
        )
        assert (bad.status_code, bad.json()["code"]) == (422, "request.invalid")
        assert bad.headers["content-type"] == "application/problem+json"
        assert "format" in bad.json()["fields"]


async def test_pipeline_and_to_do_files_hold_the_json_buckets_and_items(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee, branch, _ = await tree(api)
    applicant = await person(api, branch, "王芳", 2, "13912345678")
    applied = await api.client.post(
        f"{V1}/people/{applicant['id']}/application",
        json={"on": "2026-09-01"},
        headers=api.headers(),
    )
    assert applied.status_code == 200, applied.text
    await person(api, branch, "李四", 5, "13900001111")
    await formal_members(api, branch, 3)

    pipeline = (
        await api.client.get(f"{V1}/orgs/{committee}/pipeline", headers=api.headers())
    ).json()
    buckets = len(pipeline["by_stage"]) + len(pipeline["by_step"])
    buckets += sum(len(b) for b in pipeline["by_domain"].values())
    answer = await api.client.get(f"{V1}/orgs/{committee}/pipeline/export", headers=api.headers())
    rows = xlsx_rows(answer.content)
    assert rows[0] == ["统计方式", "领域", "阶段或步骤", "人数"]
    assert len(rows) - 1 == buckets
    assert ["按阶段", None, "正式党员", 3] in rows
    assert ["按阶段", None, "入党申请人", 1] in rows
    assert ["按步骤", None, "递交入党申请书", 1] in rows
    assert ["按领域", "高校", "登记人员", 1] in rows
    lines = csv_rows(
        (
            await api.client.get(
                f"{V1}/orgs/{committee}/pipeline/export",
                params={"format": "csv"},
                headers=api.headers(),
            )
        ).content
    )
    assert [[str(c or "") for c in r] for r in rows] == lines

    params = {"as_of": "2026-11-23"}
    items = (
        await api.client.get(f"{V1}/orgs/{committee}/to-do", params=params, headers=api.headers())
    ).json()["items"]
    answer = await api.client.get(
        f"{V1}/orgs/{committee}/to-do/export", params=params, headers=api.headers()
    )
    assert "2026-11-23.xlsx" in answer.headers["content-disposition"]
    rows = xlsx_rows(answer.content)
    headers = ["到期日", "事项", "姓名", "所在党组织", "阶段", "是否逾期", "逾期天数", "人员ID"]
    assert rows[0] == headers
    assert len(rows) - 1 == len(items) == 1
    assert rows[1] == [
        datetime(2026, 10, 1),
        "申请后一个月内谈话",
        "王芳",
        "数学学院教工党支部",
        "入党申请人",
        "是",
        53,
        applicant["id"],
    ]
    lines = csv_rows(
        (
            await api.client.get(
                f"{V1}/orgs/{committee}/to-do/export",
                params={**params, "format": "csv"},
                headers=api.headers(),
            )
        ).content
    )
    assert lines == [
        headers,
        [
            "2026-10-01",
            "申请后一个月内谈话",
            "王芳",
            "数学学院教工党支部",
            "入党申请人",
            "是",
            "53",
            applicant["id"],
        ],
    ]
