"""Importing organisations from a roster (导入党组织): a county's tree from xlsx and CSV.

The files are built here with openpyxl and csv, the way departments' spreadsheets look:
a merged title above the header, blank rows, full-width spaces, Excel date serials.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from openpyxl import Workbook

from jiceng.auth.principal import Principal, Role
from jiceng.eventlog import EventMeta
from jiceng.eventlog.records import FeedEvent, to_feed_event
from jiceng.eventlog.storage import Storage
from jiceng.orgtree.queries import OrgNode
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings
from jiceng.sheets.importing import run_import
from jiceng.sheets.reading import SheetFile
from jiceng.sheets.report import Report
from org_registry.application import OrgRegistry
from org_registry.bootstrap import build_runtime
from org_registry.imports import OrgImporter
from support import Api

TODAY = date(2026, 11, 23)
ADMIN = Principal("importer", frozenset({Role.PLATFORM_ADMIN}))
HEADER = [
    "序号",
    "党组织名称",
    "简称",
    "党组织类别",
    "所属领域",
    "上级党组织",
    "成立日期",
    "书记",
    "组织编码",
]

#: The county's tree, children before their parents (as clerks paste it together).
COUNTY: list[list[Any]] = [
    [1, "东村党支部", None, "党支部", "农村", "C01", "2010-05-04", "张三", "C0101"],
    [2, "西村党支部", None, "支部", "农村", "城关镇党委", "2012/3/1", None, "C0102"],
    [3, "城关镇党委", "城关镇", "基层党委", "农村", "中共某县委员会", "2001-07-01", "李四", "C01"],
    [4, "中共某县委员会", "县委", "党委", "机关", None, "2019.07.01", None, "C0"],
    [5, "县直机关工委", None, "党工委", "机关", "C0", 36708, None, "C02"],  # 2000-07-01
    [6, "县财政局\u3000党支部", None, "党支部", "机关", "县直机关工委", None, "王五", None],
]


def xlsx(rows: list[list[Any]], *, title: str = "某县党组织名册", sheet: str = "党组织") -> bytes:
    """A roster as departments keep it: a merged title row, the header, blank rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for number, row in enumerate(rows):
        ws.append(row)
        if number == 1:
            ws.append([])  # a blank row
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def gbk_csv(rows: list[list[Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return text.getvalue().encode("gbk")


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[ServiceRuntime]:
    """org-registry on SQLite files, its read models following its log."""
    runtime = build_runtime(settings, Storage.for_service(settings, "org-registry"))
    await runtime.start(run_consumers=True)
    yield runtime
    await runtime.stop()


def importer(runtime: ServiceRuntime, principal: Principal = ADMIN) -> OrgImporter:
    meta = EventMeta(actor=principal.actor, reason="导入党组织", correlation_id="import-1")
    return OrgImporter(runtime, principal, None, meta, today=lambda: TODAY)


async def run(
    runtime: ServiceRuntime,
    data: bytes,
    name: str = "county.xlsx",
    principal: Principal = ADMIN,
    dry_run: bool = False,
    accept_valid: bool = False,
) -> Report:
    file = SheetFile.from_bytes(data, name)
    return await run_import(
        file,
        importer(runtime, principal),
        actor=principal.actor,
        dry_run=dry_run,
        accept_valid=accept_valid,
    )


def events(runtime: ServiceRuntime) -> list[FeedEvent]:
    log = runtime.log
    return [to_feed_event(log.mapper, n) for n in log.recorder.select_notifications(1, 10_000)]


def head(runtime: ServiceRuntime) -> int:
    return int(runtime.log.recorder.max_notification_id() or 0)


async def nodes(runtime: ServiceRuntime) -> dict[str, OrgNode]:
    root = next(n for n in await runtime.orgtree.many(_all_ids(runtime)) if n.parent_id is None)
    found = await runtime.orgtree.subtree(root, after_path=None, limit=1000)
    return {node.name: node for node in found}


def _all_ids(runtime: ServiceRuntime) -> list[str]:
    return sorted({e.stream_id for e in events(runtime)})


def problems(report: Report) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.code) for p in report.problems]


# -- the happy path -------------------------------------------------------------------------


async def test_a_county_tree_imports_whatever_the_order_of_its_rows(
    runtime: ServiceRuntime,
) -> None:
    data = xlsx(COUNTY)
    report = await run(runtime, data)

    assert report.problems == []
    assert (report.rows, report.valid, report.new, report.written) == (6, 6, 6, 6)
    tree = await nodes(runtime)
    county, town = tree["中共某县委员会"], tree["城关镇党委"]
    assert county.parent_id is None and county.short_name == "县委"
    assert town.parent_id == county.id and town.org_type == "committee"
    assert tree["东村党支部"].parent_id == town.id  # named by code, above it in the file
    assert tree["西村党支部"].parent_id == town.id  # named by name
    assert tree["县直机关工委"].parent_id == county.id
    assert tree["县财政局 党支部"].parent_id == tree["县直机关工委"].id  # full-width space
    assert county.established_on == date(2019, 7, 1)  # typed 2019.07.01
    assert tree["县直机关工委"].established_on == date(2000, 7, 1)  # an Excel serial
    assert tree["县直机关工委"].org_type == "working_committee"


async def test_every_event_names_its_file_sheet_row_digest_and_actor(
    runtime: ServiceRuntime,
) -> None:
    data = xlsx(COUNTY)
    file = SheetFile.from_bytes(data, "county.xlsx")
    await run(runtime, data)

    established = [e for e in events(runtime) if e.type == "Organisation.Established"]
    rows = {e.payload["name"]: e.payload["source"] for e in established}
    # The title is row 1, the header row 2; a blank row follows the second data row.
    assert rows["东村党支部"] == {
        "file": "county.xlsx",
        "sheet": "党组织",
        "row": 3,
        "sha256": file.sha256,
    }
    assert rows["县财政局 党支部"]["row"] == 9
    for event in events(runtime):  # the parents' ChildAttached as well
        assert event.actor == "jwt:importer"
        assert event.correlation_id == "import-1"
        assert event.policy_pack == "national@1"
    # Parents' events come before their children's: the tree copy could fold them in order.
    order = [e.payload.get("name") for e in established]
    assert order.index("中共某县委员会") < order.index("城关镇党委") < order.index("东村党支部")


async def test_a_gbk_csv_from_excel_on_chinese_windows_imports(runtime: ServiceRuntime) -> None:
    report = await run(runtime, gbk_csv(COUNTY), name="名册.csv")

    assert report.problems == []
    assert report.written == 6
    tree = await nodes(runtime)
    assert tree["县直机关工委"].established_on == date(2000, 7, 1)  # the serial as text


# -- idempotency ----------------------------------------------------------------------------


async def test_importing_the_same_file_again_writes_no_event(runtime: ServiceRuntime) -> None:
    data = xlsx(COUNTY)
    await run(runtime, data)
    before = head(runtime)

    again = await run(runtime, data)

    assert head(runtime) == before
    assert (again.unchanged, again.new, again.changed, again.written) == (6, 0, 0, 0)


async def test_a_corrected_file_writes_only_what_changed(runtime: ServiceRuntime) -> None:
    await run(runtime, xlsx(COUNTY))
    before = head(runtime)
    corrected = [list(row) for row in COUNTY]
    corrected[1][1] = "西村村党支部"  # renamed, found by its code
    corrected[5][2] = "财政局支部"  # a short name for the row without code
    corrected.append([7, "南村党支部", None, "党支部", "农村", "C01", None, None, "C0103"])

    report = await run(runtime, xlsx(corrected), name="county-v2.xlsx")

    assert report.problems == []
    assert (report.new, report.changed, report.unchanged, report.written) == (1, 2, 4, 3)
    written = events(runtime)[before:]
    # two renames, one establishment and its parent's ChildAttached
    assert sorted(e.type for e in written) == [
        "Organisation.ChildAttached",
        "Organisation.Established",
        "Organisation.Renamed",
        "Organisation.Renamed",
    ]
    renamed = [e for e in written if e.type == "Organisation.Renamed"]
    assert {e.payload["source"]["file"] for e in renamed} == {"county-v2.xlsx"}
    assert {e.payload["source"]["row"] for e in renamed} == {4, 9}
    tree = await nodes(runtime)
    assert tree["西村村党支部"].code == "C0102"
    assert tree["县财政局 党支部"].short_name == "财政局支部"
    assert tree["南村党支部"].parent_id == tree["城关镇党委"].id


async def test_a_recorded_organisation_is_never_moved_or_retyped_by_an_import(
    runtime: ServiceRuntime,
) -> None:
    await run(runtime, xlsx(COUNTY))
    before = head(runtime)
    changed = [list(row) for row in COUNTY]
    changed[0][5] = "县直机关工委"  # 东村党支部 under another parent
    changed[1][3] = "联合党支部"

    report = await run(runtime, xlsx(changed), accept_valid=True)

    assert problems(report) == [
        (3, "上级党组织", "orgimport.parent_differs"),
        (4, "党组织类别", "orgimport.field_differs"),
    ]
    assert "城关镇党委" in report.problems[0].message()
    assert head(runtime) == before


# -- refused rows ---------------------------------------------------------------------------


async def test_refused_rows_say_where_and_why_and_nothing_is_written(
    runtime: ServiceRuntime,
) -> None:
    rows = [list(row) for row in COUNTY]
    rows[1][3] = "支 部 委 员 会"  # no such spelling
    rows[4][5] = "县委员会"  # no such parent
    rows.append([7, "北村党支部", None, "党支部", "农村", "城关镇党委", None, None, "C0101"])
    rows.append([8, "北村第一党小组", None, "党小组", "农村", "C0102", None, None, None])

    report = await run(runtime, xlsx(rows))

    assert problems(report) == [
        (4, "党组织类别", "sheet.value_unknown"),
        (8, "上级党组织", "sheet.org_unknown"),
        (9, "上级党组织", "orgimport.parent_refused"),  # under 县直机关工委, refused
        (10, "组织编码", "sheet.duplicate_row"),
        (11, "上级党组织", "orgimport.parent_refused"),  # under 西村党支部, refused
    ]
    wrong_type, unknown, under_refused, duplicate, _ = report.problems
    assert wrong_type.value == "支 部 委 员 会"
    assert "联合党支部" in wrong_type.message() and "党支部" in wrong_type.message()
    assert "中共某县委员会" in unknown.params["suggestions"]
    assert under_refused.params == {"parent_row": 8}
    assert duplicate.params == {"first_row": 3}
    assert "第 3 行" in duplicate.message()
    assert "row 3" in duplicate.message(english=True)
    assert report.as_dict()["problems"][0]["message_en"].startswith("“支 部 委 员 会” is not")
    assert head(runtime) == 0  # errors: nothing written unless the valid rows are accepted


async def test_accepting_the_valid_rows_writes_them_only(runtime: ServiceRuntime) -> None:
    rows = [list(row) for row in COUNTY]
    rows[4][5] = "县委员会"

    report = await run(runtime, xlsx(rows), accept_valid=True)

    assert report.refused == 2 and report.written == 4
    assert set(await nodes(runtime)) == {"中共某县委员会", "城关镇党委", "东村党支部", "西村党支部"}


async def test_a_dry_run_writes_nothing(runtime: ServiceRuntime) -> None:
    report = await run(runtime, xlsx(COUNTY), dry_run=True)

    assert (report.valid, report.new, report.written) == (6, 6, 0)
    assert head(runtime) == 0


async def test_cycles_placement_and_dates_are_refused(runtime: ServiceRuntime) -> None:
    rows: list[list[Any]] = [
        [1, "甲党委", None, "党委", "机关", "乙党委", None, None, "A"],
        [2, "乙党委", None, "党委", "机关", "A", None, None, "B"],
        [3, "丙党委", None, "党委", "机关", None, "2027-01-01", None, "C"],
        [4, "丙一支部", None, "党支部", "机关", "C", None, None, None],
        [5, "丁党委", None, "党委", "机关", None, datetime(2020, 1, 2), None, "D"],
        [6, "丁一支部", None, "党支部", "机关", "D", None, None, "D1"],
        [7, "丁一支部下的支部", None, "党支部", "机关", "D1", None, None, None],
        [8, "丁二支部", None, "党支部", "机关", "丁党委", None, None, None],
        [9, "丁二支部", None, "党支部", "机关", "D", None, None, None],
        [10, "第一党小组\n第二党小组", None, "党小组", "机关", "D1", None, None, None],
    ]

    report = await run(runtime, xlsx(rows))

    assert problems(report) == [
        (3, "上级党组织", "orgimport.parent_cycle"),
        (4, "上级党组织", "orgimport.parent_cycle"),
        (6, "成立日期", "orgimport.date_in_future"),
        (7, "上级党组织", "orgimport.parent_refused"),
        (10, "党组织类别", "organisation.child_type_not_allowed"),  # by the domain's rule
        (12, "党组织名称", "sheet.duplicate_row"),  # the same name under the same parent
        (13, "党组织名称", "sheet.not_single_line"),
    ]
    assert report.problems[0].params == {"rows": [3, 4]}
    assert report.problems[3].params == {"parent_row": 6}
    assert report.problems[5].params == {"first_row": 11}
    assert report.problems[4].params["pack"] == "national@1"


# -- scope ----------------------------------------------------------------------------------


async def test_a_scoped_admin_places_only_within_its_subtree(runtime: ServiceRuntime) -> None:
    await run(runtime, xlsx(COUNTY))
    town = (await nodes(runtime))["城关镇党委"]
    admin = Principal("town-admin", frozenset({Role.ORG_ADMIN}), org=town.id)
    rows: list[list[Any]] = [
        [1, "南村党支部", None, "党支部", "农村", "城关镇党委", None, None, None],
        [2, "县委办党支部", None, "党支部", "机关", "县直机关工委", None, None, None],
        [3, "县委办党支部二", None, "党支部", "机关", "C02", None, None, None],
        [4, "无名党支部", None, "党支部", "机关", "县直机关工会", None, None, None],
        [5, "新党委", None, "党委", "机关", None, None, None, None],
    ]

    report = await run(runtime, xlsx(rows), principal=admin, accept_valid=True)

    assert problems(report) == [
        (4, "上级党组织", "sheet.org_unknown"),
        (6, "上级党组织", "sheet.org_unknown"),
        (7, "上级党组织", "sheet.org_unknown"),
        (8, "上级党组织", "organisation.root_needs_platform_admin"),
    ]
    # An organisation outside the subtree looks exactly like one that does not exist: its
    # name is never offered, however close.
    for refused in report.problems[:3]:
        assert not {"县直机关工委", "中共某县委员会"} & set(refused.params["suggestions"])
    outside, _, nowhere, _ = report.problems
    assert outside.params["suggestions"] == nowhere.params["suggestions"] == ["—"]
    # (whereas the platform administrator, who sees it, is offered it)
    seen = await run(runtime, xlsx(rows), dry_run=True)
    assert "县直机关工委" in seen.problems[-1].params["suggestions"]
    assert report.written == 1
    assert (await nodes(runtime))["南村党支部"].parent_id == town.id


def test_an_importer_needs_a_writer(runtime: ServiceRuntime) -> None:
    from jiceng.errors import Forbidden

    with pytest.raises(Forbidden):
        importer(runtime, Principal("reader", frozenset({Role.AUDITOR})))


# -- stored events --------------------------------------------------------------------------

#: An organisation's first two events as the registry stored them before imports named
#: their source (class version 1: no ``source``, no ``class_version``).
STORED_V1 = [
    (
        "Organisation.Established",
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-27T09:19:49.516887+00:00"},'
        '"originator_topic":"org_registry.domain.organisation:Organisation","name":"县委",'
        '"org_type":"committee","domain":"government","parent_id":null,"established_on":'
        '{"_type_":"date_iso","_data_":"2001-07-01"},"short_name":null,"code":"C1",'
        '"region_code":null,"student_branch":false,"meta":{"actor":"jwt:old","reason":null,'
        '"correlation_id":null,"causation_id":null,"policy_pack":null}}',
    ),
    (
        "Organisation.Renamed",
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-27T09:19:49.517879+00:00"},'
        '"name":"中共某县委员会","short_name":"县委","meta":{"actor":"jwt:old","reason":null,'
        '"correlation_id":null,"causation_id":null,"policy_pack":null}}',
    ),
]


def test_events_stored_before_imports_named_their_source_still_load() -> None:
    registry = OrgRegistry(Storage.memory("org-registry"))
    org_id = UUID("426dbed6-2f1e-482f-bd52-d809b5eabbf9")
    stored = [
        StoredEvent(
            originator_id=org_id,
            originator_version=version,
            topic=f"org_registry.domain.organisation:{topic}",
            state=state.encode(),
        )
        for version, (topic, state) in enumerate(STORED_V1, start=1)
    ]
    registry.recorder.insert_events(stored)

    org = registry.organisation(org_id)

    assert (org.name, org.short_name, org.code) == ("中共某县委员会", "县委", "C1")
    assert org.established_on == date(2001, 7, 1)
    assert json.loads(STORED_V1[0][1]).get("source", "absent") == "absent"
    org.rename("某县委", source=None)  # and a v1 stream takes new events
    registry.save(org, meta=EventMeta(actor="jwt:new"))
    assert registry.organisation(org_id).version == 3


async def test_the_secretary_a_roster_names_is_recorded_apart_from_elections(
    runtime: ServiceRuntime,
) -> None:
    await run(runtime, xlsx(COUNTY))
    noted = [e for e in events(runtime) if e.type == "Organisation.SecretaryNoted"]
    assert sorted(e.payload["name"] for e in noted) == ["张三", "李四", "王五"]
    assert {e.payload["source"]["file"] for e in noted} == {"county.xlsx"}
    east = (await nodes(runtime))["东村党支部"]
    org = runtime.log.organisation(east.id)  # type: ignore[attr-defined]
    assert (org.secretary_on_record, org.term) == ("张三", None)  # no term invented

    before = head(runtime)
    changed = [list(row) for row in COUNTY]
    changed[0][7] = "赵六"  # a new secretary in the roster
    report = await run(runtime, xlsx(changed), name="county-2027.xlsx")
    assert (report.changed, report.written) == (1, 1)
    [event] = events(runtime)[before:]
    assert (event.type, event.payload["name"]) == ("Organisation.SecretaryNoted", "赵六")


async def test_a_code_is_one_organisations_wherever_it_is(runtime: ServiceRuntime) -> None:
    """A scoped admin cannot take a code of an organisation outside its subtree (which would
    make the county's own roster ambiguous); the answer does not say where the code is."""
    await run(runtime, xlsx(COUNTY))
    town = (await nodes(runtime))["城关镇党委"]
    admin = Principal("town-admin", frozenset({Role.ORG_ADMIN}), org=town.id)
    rows: list[list[Any]] = [
        [
            1,
            "冒名党支部",
            None,
            "党支部",
            "农村",
            "城关镇党委",
            None,
            None,
            "C02",
        ],  # 县直机关工委's
        [2, "北村党支部", None, "党支部", "农村", "城关镇党委", None, None, "C0104"],
    ]
    report = await run(runtime, xlsx(rows), principal=admin, accept_valid=True)
    assert problems(report) == [(3, "组织编码", "organisation.code_taken")]
    assert "县直机关工委" not in report.problems[0].message()
    assert report.written == 1
    again = await run(runtime, xlsx(COUNTY), dry_run=True)  # the county's roster still reads
    assert again.problems == [] and again.unchanged == 6


async def test_establishing_over_the_api_refuses_a_code_in_use(org_api: Api) -> None:
    api = org_api
    root = await api.establish("某县委", code="X-1")
    answer = await api.client.post(
        "/org-registry/v1/organisations",
        json={
            "name": "另一党支部",
            "org_type": "branch",
            "domain": "government",
            "parent_id": root["id"],
            "code": "x-1",
        },
        headers=api.headers(),
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "organisation.code_taken")
