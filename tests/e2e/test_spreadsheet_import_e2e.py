"""A county brought in from spreadsheets, end to end, through the gateway.

The organisation roster (县委, 乡镇党委, 机关工委, 30 branches, children above their parents)
is checked, then imported. A member roster of 2,000 people is uploaded with the faults clerks
make; nothing is written and the report names every faulty row, its column and its rule. The
rows are then corrected as a clerk would, and the file imports whole: the county's pipeline,
a branch's masked roster export and the structural alerts follow. Importing the same file again
writes no event. An org_admin of one township cannot reach another's branches, and
``jiceng import people --dry-run`` exits 0 for a valid file and 1 for one with problems.

Identity numbers come from tests/gb11643.py (the standard's arithmetic).
"""

from __future__ import annotations

import io
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
from openpyxl import Workbook, load_workbook

import gb11643
from e2e_support import Cluster, jiceng, wait_until
from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService

ORGS = "/org-registry/v1"
V1 = "/member-lifecycle/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
PEOPLE = 2000
#: The national pack's structural thresholds (policy/packs/national.toml).
COMMITTEE_REQUIRED_AT, BRANCH_SIZE_MAX, MIN_FORMAL = 7, 50, 3

# -- the organisation roster ---------------------------------------------------------------

ORG_HEADER = [
    "序号",
    "党组织名称",
    "简称",
    "党组织类别",
    "所属领域",
    "上级党组织",
    "成立日期",
    "组织编码",
]
TOWNSHIPS = {
    "城关镇党委": (
        "C01",
        ["东关村", "西关村", "南街村", "北街村", "石桥村", "柳树村"],
        ["城东", "城西"],
    ),
    "河口镇党委": (
        "C02",
        ["河口村", "沙湾村", "渡口村", "杨柳村", "枣林村", "新庄村"],
        ["河口", "滨河"],
    ),
    "青山乡党委": (
        "C03",
        ["青山村", "松林村", "竹园村", "石门村", "白云村", "清泉村"],
        ["青山", "翠屏"],
    ),
}
WORKING_COMMITTEES = {
    "县直机关工委": ("C04", ["县财政局", "县人社局", "县医保局"]),
    "县教育工委": ("C05", ["县教育局", "县科技局", "县文旅局"]),
}
COUNTY = "中共某县委员会"
#: The branch with two members only (fewer 正式党员 than a branch needs).
TINY = "县文旅局机关党支部"


@dataclass(frozen=True)
class Branch:
    name: str
    code: str
    parent: str
    domain: str  # the roster's spelling


def branches() -> list[Branch]:
    found = []
    for town, (code, villages, communities) in TOWNSHIPS.items():
        for n, village in enumerate(villages, 1):
            found.append(Branch(f"{village}党支部", f"{code}{n:02d}", town, "农村"))
        for n, community in enumerate(communities, len(villages) + 1):
            found.append(Branch(f"{community}社区党支部", f"{code}{n:02d}", town, "社区"))
    for committee, (code, offices) in WORKING_COMMITTEES.items():
        for n, office in enumerate(offices, 1):
            found.append(Branch(f"{office}机关党支部", f"{code}{n:02d}", committee, "机关"))
    return found


def org_rows() -> list[list[Any]]:
    """城关镇's branches first (their parents below them), parents named by code or name."""
    rows: list[list[Any]] = []
    spellings = ["2010-05-04", "2012.03.01", datetime(2015, 7, 1), "2018/6/30"]

    def branch_row(n: int, b: Branch) -> list[Any]:
        parent = b.parent if n % 2 else b.code[:3]  # by name, or by the parent's code
        return [None, b.name, None, "党支部", b.domain, parent, spellings[n % 4], b.code]

    every = branches()
    rows += [branch_row(n, b) for n, b in enumerate(every[:8])]
    for town, (code, _, _) in TOWNSHIPS.items():
        rows.append([None, town, town[:3], "基层党委", "农村", "C0", "2001-07-01", code])
    rows.append([None, COUNTY, "县委", "党委", "机关", None, "1949.10.01", "C0"])
    for committee, (code, _) in WORKING_COMMITTEES.items():
        rows.append([None, committee, None, "党工委", "机关", COUNTY, datetime(2003, 7, 1), code])
    rows += [branch_row(n, b) for n, b in enumerate(every[8:])]
    for number, row in enumerate(rows, 1):
        row[0] = number
    return rows


# -- the member roster ---------------------------------------------------------------------

PEOPLE_HEADER = [
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
COL = {name: number for number, name in enumerate(PEOPLE_HEADER)}
FIRST_ROW = 3  # a merged title, then the header
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "晓红", "志强", "丽娟", "海燕", "国庆", "春梅", "文斌", "秀英", "明辉"]


@dataclass
class Person:
    number: int
    name: str
    born: date
    resident_id: str
    branch: Branch
    category: str  # 正式党员, 预备党员, 入党申请人
    applied_on: date
    admitted_on: date | None
    formal_since: date | None
    row: list[Any] = field(default_factory=list)

    @property
    def sheet_row(self) -> int:
        return self.number + FIRST_ROW


def years_after(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def spelled(day: date | None, how: int) -> Any:
    """The four ways dates reach us: ISO text, dotted text, a date cell, slashes."""
    if day is None:
        return None
    return [day.isoformat(), f"{day:%Y.%m.%d}", datetime(day.year, day.month, day.day)][how % 3]


def branch_sizes(every: list[Branch]) -> list[tuple[Branch, int]]:
    """The tiny branch (2), ten of 40, the rest sharing what is left of 2,000."""
    tiny = next(b for b in every if b.name == TINY)
    others = [b for b in every if b is not tiny]
    small, large = others[:10], others[10:]
    left = PEOPLE - 2 - 40 * len(small)
    sizes = [(tiny, 2)] + [(b, 40) for b in small]
    sizes += [(b, left // len(large) + (n < left % len(large))) for n, b in enumerate(large)]
    return sizes


def people() -> list[Person]:
    found: list[Person] = []
    for branch, size in branch_sizes(branches()):
        for _ in range(size):
            k = len(found)
            born = date(1960, 1, 1) + timedelta(days=7 * k)
            serial = 100 + k % 800
            number = gb11643.resident_id(born, serial, "430121")
            stage = k % 10
            applied_on = years_after(born, 20)
            admitted_on: date | None = years_after(applied_on, 2)
            formal_since = years_after(admitted_on, 1) if admitted_on else None
            if stage < 6:
                category = "正式党员"
            elif stage < 8:
                category = "预备党员"
                admitted_on = TODAY - timedelta(days=30 + k % 300)
                applied_on = admitted_on - timedelta(days=800)
                formal_since = None
            else:
                category = "入党申请人"
                applied_on = TODAY - timedelta(days=10 + k % 600)
                admitted_on = formal_since = None
            name = SURNAMES[k % len(SURNAMES)] + GIVEN[(k // 20) % len(GIVEN)]
            person = Person(
                k, name, born, number, branch, category, applied_on, admitted_on, formal_since
            )
            person.row = good_row(person)
            found.append(person)
    return found


def good_row(p: Person) -> list[Any]:
    k = p.number
    phone = f"139{k:08d}"
    return [
        k + 1,
        p.name,
        "男" if int(p.resident_id[16]) % 2 else "女",
        "汉族" if k % 9 else "土家族",
        spelled(p.born, k) if k % 3 == 0 else None,
        p.resident_id.translate(FULL_WIDTH) if k % 50 == 0 else p.resident_id,
        ["本科", "大专", "高中", "硕士研究生"][k % 4],
        p.category,
        phone.translate(FULL_WIDTH) if k % 7 == 0 else phone,
        p.branch.name,
        spelled(p.applied_on, k + 1) if p.category == "入党申请人" or k % 2 else None,
        spelled(p.admitted_on, k + 2),
        spelled(p.formal_since, k),
        p.branch.name.removesuffix("机关党支部").removesuffix("党支部"),
    ]


@dataclass(frozen=True)
class Fault:
    number: int
    column: str
    rule: str
    make: Callable[[list[Any], Person, list[Person]], None]


def _set(column: str, value: Any) -> Callable[[list[Any], Person, list[Person]], None]:
    def make(row: list[Any], _p: Person, _all: list[Person]) -> None:
        row[COL[column]] = value

    return make


def faults(everyone: list[Person]) -> list[Fault]:
    """What clerks get wrong, one row each (the numbers pick the right kind of person)."""
    as_number = next(p for p in everyone[17:] if p.resident_id[-1] != "X" and p.number % 50)
    found = [
        Fault(
            as_number.number,
            "身份证号",
            "sheet.resident_id_stored_as_number",
            lambda row, p, _a: row.__setitem__(COL["身份证号"], float(p.resident_id)),
        ),
        Fault(
            121,
            "身份证号",
            "ids.resident_id_check_digit",
            lambda row, p, _a: row.__setitem__(
                COL["身份证号"], gb11643.with_wrong_check(p.resident_id)
            ),
        ),
        Fault(
            233,
            "所在支部",
            "sheet.org_unknown",
            lambda row, p, _a: row.__setitem__(COL["所在支部"], p.branch.name.replace("党", "", 1)),
        ),
        Fault(
            345,
            "性别",
            "person.gender_mismatch",
            lambda row, _p, _a: row.__setitem__(
                COL["性别"], "女" if row[COL["性别"]] == "男" else "男"
            ),
        ),
        Fault(
            451,
            "转正日期",
            "sheet.dates_out_of_order",
            lambda row, p, _a: row.__setitem__(
                COL["转正日期"], spelled(years_after(p.admitted_on or p.born, -1), 0)
            ),
        ),
        Fault(562, "转正日期", "import.date_required", _set("转正日期", None)),
        Fault(
            681,
            "身份证号",
            "sheet.duplicate_row",
            lambda row, _p, all_: row.__setitem__(slice(None), [682, *all_[680].row[1:]]),
        ),
        Fault(793, "人员类别", "sheet.value_unknown", _set("人员类别", "中共正式党员")),
        Fault(
            903,
            "出生日期",
            "person.birth_date_mismatch",
            lambda row, p, _a: row.__setitem__(COL["出生日期"], p.born + timedelta(days=1)),
        ),
        Fault(1017, "姓名", "sheet.required", _set("姓名", None)),
        Fault(
            1126,
            "入党日期",
            "development.date_in_future",
            _set("入党日期", (TODAY + timedelta(days=30)).isoformat()),
        ),
        Fault(
            1243,
            "转正日期",
            "membership.import_formal_since",
            lambda row, p, _a: row.__setitem__(
                COL["转正日期"], spelled((p.admitted_on or p.born) + timedelta(days=200), 1)
            ),
        ),
        Fault(1350, "人员类别", "import.category_by_steps", _set("人员类别", "入党积极分子")),
        Fault(
            1468,
            "申请入党日期",
            "development.date_in_future",
            _set("申请入党日期", f"{TODAY + timedelta(days=3):%Y.%m.%d}"),
        ),
    ]
    kinds = {f.number: everyone[f.number].category for f in found}
    assert kinds[451] == kinds[562] == kinds[1243] == "正式党员", kinds
    assert kinds[1126] == "预备党员" and kinds[1468] == "入党申请人", kinds
    return found


def workbook(header: list[str], rows: list[list[Any]], title: str, sheet: str) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster_file(rows: list[list[Any]]) -> bytes:
    return workbook(PEOPLE_HEADER, rows, "某县党员花名册（2026年）", "党员花名册")


# -- over HTTP -----------------------------------------------------------------------------


def upload(
    client: httpx.Client, path: str, data: bytes, name: str, **params: Any
) -> dict[str, Any]:
    """Upload, follow the job to its end; the finished job."""
    response = client.post(
        path,
        content=data,
        params={"filename": name, **params},
        headers={"Content-Type": XLSX},
    )
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    assert location.endswith(f"/imports/jobs/{response.json()['id']}")
    job: dict[str, Any] = {}

    def finished() -> bool:
        nonlocal job
        job = client.get(location).json()
        return job["state"] != "running"

    wait_until(finished, what=f"import job {name}", timeout=180)
    assert job["state"] == "succeeded", job
    return job


def problems(client: httpx.Client, service: str, job: dict[str, Any]) -> list[dict[str, Any]]:
    found = client.get(f"/{service}/v1/imports/jobs/{job['id']}/report").json()["problems"]
    return list(found)


def log_head(client: httpx.Client, service: str) -> int:
    """Where a service's log ends (the cluster is shared: other tests' events come before)."""
    return int(client.get(f"/{service}/v1/events/head").json()["head"])


def org_ids(client: httpx.Client, after: int) -> dict[str, str]:
    """The id by name of every organisation established after ``after``, from org-registry's
    feed."""
    feed = client.get(
        f"{ORGS}/events",
        params={"after": after, "limit": 1000, "types": "Organisation.Established"},
    ).json()
    return {e["payload"]["name"]: e["stream_id"] for e in feed["events"]}


def scoped_client(cluster: Cluster, org: str) -> httpx.Client:
    token = TokenService(cluster.settings).mint("township-clerk", [Role.ORG_ADMIN], org=UUID(org))
    return httpx.Client(
        base_url=cluster.gateway, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    return list(ws.iter_rows(values_only=True))


# -- the test ------------------------------------------------------------------------------


def test_a_county_imported_from_spreadsheets(cluster: Cluster, tmp_path: Path) -> None:
    every = branches()
    with cluster.client() as admin:
        ids = import_the_tree(admin, every)
        everyone = people()
        import_the_faulty_roster(admin, everyone, log_head(admin, "member-lifecycle"))
        good = roster_file([p.row for p in everyone])
        started = time.monotonic()
        job = upload(admin, f"{V1}/imports/people", good, "花名册-更正.xlsx", dry_run="false")
        took = time.monotonic() - started
        summary = job["summary"]
        assert (summary["rows"], summary["new"], summary["written"]) == (PEOPLE,) * 3, summary
        assert summary["refused"] == summary["problem_count"] == 0, summary
        assert took < 60, f"2,000 people took {took:.1f}s"
        print(f"\n2,000 people imported in {took:.1f}s")
        check_what_follows(admin, ids, everyone)

        head = admin.get(f"{V1}/events/head").json()["head"]
        again = upload(admin, f"{V1}/imports/people", good, "花名册-更正.xlsx", dry_run="false")
        assert again["summary"]["unchanged"] == PEOPLE and again["summary"]["written"] == 0
        assert admin.get(f"{V1}/events/head").json()["head"] == head
        assert admin.get(f"{V1}/events", params={"after": head}).json()["events"] == []

    with scoped_client(cluster, ids["城关镇党委"]) as clerk:
        another_township(clerk, everyone)

    the_command_line(cluster, tmp_path, everyone)


def import_the_tree(admin: httpx.Client, every: list[Branch]) -> dict[str, str]:
    data = workbook(ORG_HEADER, org_rows(), "某县党组织名册", "党组织")
    total = len(every) + len(TOWNSHIPS) + len(WORKING_COMMITTEES) + 1
    before = log_head(admin, "org-registry")
    checked = upload(admin, f"{ORGS}/imports/orgs", data, "党组织名册.xlsx")
    assert checked["dry_run"] is True
    assert (checked["summary"]["new"], checked["summary"]["written"]) == (total, 0), checked
    assert log_head(admin, "org-registry") == before  # a dry run writes nothing

    job = upload(admin, f"{ORGS}/imports/orgs", data, "党组织名册.xlsx", dry_run="false")
    assert job["summary"]["written"] == total, problems(admin, "org-registry", job)
    ids = org_ids(admin, before)
    assert len(ids) == total

    nodes = admin.get(f"{ORGS}/organisations/{ids[COUNTY]}/subtree", params={"limit": 100})
    tree = {n["name"]: n for n in nodes.json()["items"]}
    assert len(tree) == total
    assert tree[COUNTY]["parent_id"] is None and tree[COUNTY]["org_type"] == "committee"
    for town in TOWNSHIPS:
        assert tree[town]["parent_id"] == ids[COUNTY]
    for committee in WORKING_COMMITTEES:
        assert tree[committee]["parent_id"] == ids[COUNTY]
        assert tree[committee]["org_type"] == "working_committee"
    for b in every:
        assert tree[b.name]["parent_id"] == ids[b.parent], b
        assert tree[b.name]["org_type"] == "branch"
        assert admin.get(f"{ORGS}/organisations/{ids[b.name]}").json()["code"] == b.code
    wait_until(
        lambda: all(admin.get(f"{V1}/orgs/{ids[b.name]}").status_code == 200 for b in every),
        what="member-lifecycle's copy of the tree",
    )
    return ids


def import_the_faulty_roster(admin: httpx.Client, everyone: list[Person], before: int) -> None:
    found = faults(everyone)
    rows = [list(p.row) for p in everyone]
    for fault in found:
        fault.make(rows[fault.number], everyone[fault.number], everyone)
    job = upload(admin, f"{V1}/imports/people", roster_file(rows), "花名册.xlsx", dry_run="false")
    summary = job["summary"]
    assert summary["written"] == 0 and summary["rows"] == PEOPLE, summary
    assert summary["refused"] == len(found), problems(admin, "member-lifecycle", job)
    assert log_head(admin, "member-lifecycle") == before  # nothing written

    report = problems(admin, "member-lifecycle", job)
    by_row: dict[int, set[tuple[str, str]]] = {}
    for p in report:
        by_row.setdefault(p["row"], set()).add((p["column"], p["rule"]))
        assert p["sheet"] == "党员花名册" and p["message"] and p["message_en"]
    assert set(by_row) == {everyone[f.number].sheet_row for f in found}
    for fault in found:
        assert (fault.column, fault.rule) in by_row[everyone[fault.number].sheet_row], (
            fault,
            by_row[everyone[fault.number].sheet_row],
        )
    typo = next(p for p in report if p["rule"] == "sheet.org_unknown")
    assert everyone[233].branch.name in typo["message"]  # the close match suggested
    for p in report:
        if p["column"] == "身份证号" and p["value"]:
            assert "*" in p["value"]  # never shown whole

    xlsx = admin.get(f"{V1}/imports/jobs/{job['id']}/report", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"] == XLSX
    cells = sheet_rows(xlsx.content)
    assert cells[0][:5] == ("工作表", "行", "列", "值", "规则")
    assert {row[1] for row in cells[1:]} == set(by_row)
    assert {(row[1], row[2], row[4]) for row in cells[1:]} == {
        (p["row"], p["column"], p["rule"]) for p in report
    }


def check_what_follows(admin: httpx.Client, ids: dict[str, str], everyone: list[Person]) -> None:
    stages = {"正式党员": "formal", "预备党员": "probationary", "入党申请人": "applicant"}
    expected = Counter(stages[p.category] for p in everyone)
    pipeline = admin.get(f"{V1}/orgs/{ids[COUNTY]}/pipeline").json()
    assert {b["key"]: b["count"] for b in pipeline["by_stage"]} == expected
    domains = {"农村": "rural", "社区": "community", "机关": "government"}
    by_domain = Counter((domains[p.branch.domain], stages[p.category]) for p in everyone)
    assert {
        (domain, b["key"]): b["count"]
        for domain, buckets in pipeline["by_domain"].items()
        for b in buckets
    } == by_domain
    town = admin.get(f"{V1}/orgs/{ids['河口镇党委']}/pipeline").json()
    in_town = Counter(stages[p.category] for p in everyone if p.branch.parent == "河口镇党委")
    assert {b["key"]: b["count"] for b in town["by_stage"]} == in_town

    branch = everyone[233].branch
    members = [p for p in everyone if p.branch == branch]
    export = admin.get(f"{V1}/orgs/{ids[branch.name]}/roster/export", params={"format": "xlsx"})
    assert export.status_code == 200 and export.headers["content-type"] == XLSX
    rows = sheet_rows(export.content)
    header = rows[0]
    listed = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert sorted(r["姓名"] for r in listed) == sorted(p.name for p in members)
    numbers = {p.resident_id for p in members}
    for r in listed:
        assert r["所在党组织"] == branch.name
        assert "*" in r["身份证号"] and r["身份证号"] not in numbers
        assert "*" in r["联系电话"]

    # Structural alerts, as the national pack's rules say, once the counts have arrived.
    formal = Counter(p.branch.name for p in everyone if p.category == "正式党员")
    members_of = Counter(p.branch.name for p in everyone if p.category != "入党申请人")
    expected_alerts = set()
    for b in branches():
        if formal[b.name] >= COMMITTEE_REQUIRED_AT:  # no 支委会 elected in any
            expected_alerts.add((b.name, "org.committee_missing"))
        if members_of[b.name] > BRANCH_SIZE_MAX:
            expected_alerts.add((b.name, "org.branch_oversized"))
        if formal[b.name] < MIN_FORMAL:
            expected_alerts.add((b.name, "org.too_few_formal_members"))
    assert (TINY, "org.too_few_formal_members") in expected_alerts
    got: set[tuple[str, str]] = set()

    def alerts_settled() -> bool:
        nonlocal got
        answer = admin.get(f"{ORGS}/organisations/{ids[COUNTY]}/alerts")
        assert answer.status_code == 200, answer.text
        got = {(a["org_name"], a["code"]) for a in answer.json()}
        return got == expected_alerts

    try:
        wait_until(alerts_settled, what="the structural alerts", timeout=60)
    except AssertionError:
        raise AssertionError(
            f"alerts: missing {expected_alerts - got}, unexpected {got - expected_alerts}"
        ) from None
    export = admin.get(f"{ORGS}/organisations/{ids[COUNTY]}/alerts/export")
    assert export.status_code == 200
    assert len(sheet_rows(export.content)) == len(expected_alerts) + 1


def another_township(clerk: httpx.Client, everyone: list[Person]) -> None:
    """城关镇's clerk names a branch of 河口镇: unknown to them, and never suggested."""
    elsewhere = next(p for p in everyone if p.branch.parent == "河口镇党委")
    newcomer = Person(
        PEOPLE,
        "钱新来",
        date(1999, 9, 9),
        gb11643.resident_id(date(1999, 9, 9), 21, "430121"),
        elsewhere.branch,
        "入党申请人",
        TODAY - timedelta(days=40),
        None,
        None,
    )
    job = upload(
        clerk,
        f"{V1}/imports/people",
        roster_file([good_row(newcomer)]),
        "城关镇.xlsx",
        dry_run="false",
    )
    assert job["summary"]["written"] == 0
    [problem] = problems(clerk, "member-lifecycle", job)
    assert (problem["column"], problem["rule"]) == ("所在支部", "sheet.org_unknown")
    suggested = problem["message"].split("：", 1)[-1]
    for b in branches():
        if b.parent != "城关镇党委":
            assert b.name not in suggested, suggested


def the_command_line(cluster: Cluster, tmp_path: Path, everyone: list[Person]) -> None:
    valid = tmp_path / "valid.xlsx"
    valid.write_bytes(roster_file([p.row for p in everyone[:20]]))
    checked = jiceng(cluster, "import", "people", str(valid), "--dry-run")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "rows 20, valid 20, refused 0" in checked.stdout, checked.stdout
    assert "unchanged 20" in checked.stdout, checked.stdout

    faulty = tmp_path / "faulty.xlsx"
    rows = [list(p.row) for p in everyone[:20]]
    rows[3][COL["性别"]] = "M"
    faulty.write_bytes(roster_file(rows))
    refused = jiceng(cluster, "import", "people", str(faulty), "--dry-run")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "sheet.value_unknown" in refused.stdout and "refused 1" in refused.stdout
