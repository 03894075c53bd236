"""Importing a member roster, as a ratio against the bare library in the same run.

- import: 100,000 members from a CSV and from an xlsx (read twice: every row checked, then
  written in batches of 500), against eventsourcing's own batch save of the same people's
  events (built beforehand, saved 500 aggregates per ``save()``) into a fresh SQLite file;
- memory: the peak Python memory while streaming every row of the xlsx, for 10,000 and for
  100,000 rows (bounded: it does not grow with the file).

``BENCH_IMPORT_PEOPLE`` sets the size (default 100,000).
"""

from __future__ import annotations

import csv
import os
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import gb11643
from jiceng.calendar import WorkingDayCalendar
from jiceng.eventlog import EventMeta, Storage
from jiceng.eventlog.records import FeedEvent
from jiceng.orgtree.projection import OrgTreeProjection
from jiceng.personal import sealer_for
from jiceng.policy import default_catalogue
from jiceng.settings import Settings
from jiceng.sheets.importing import run_import
from jiceng.sheets.reading import SheetFile
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.bootstrap import build_runtime
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.person import Gender, Person
from member_lifecycle.domain.stages import Stage
from member_lifecycle.imports import PeopleImporter, default_mapping

PEOPLE = int(os.environ.get("BENCH_IMPORT_PEOPLE", "100000"))
BRANCHES = 50
HEADER = [
    "姓名",
    "性别",
    "民族",
    "身份证号",
    "人员类别",
    "手机",
    "所在支部",
    "入党日期",
    "转正日期",
]


def roster_rows(count: int) -> list[list[str]]:
    rows = []
    for n in range(count):
        born = date(1950, 1, 1) + timedelta(days=n % 18000)
        number = gb11643.resident_id(born, n % 999 + 1, f"43{n // 999 % 100:02d}21")
        admitted = born + timedelta(days=365 * 25)
        rows.append(
            [
                f"党员{n}",
                "男" if (n % 999 + 1) % 2 else "女",
                "汉族",
                number,
                "正式党员",
                f"139{n:08d}",
                f"第{n % BRANCHES}党支部",
                admitted.isoformat(),
                (admitted + timedelta(days=400)).isoformat(),
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    """As Excel saves a workbook: a <dimension> before the data, text in shared strings.
    (openpyxl's write-only mode leaves the dimension out; its reader then parses the whole
    sheet once more to look for it.)"""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "花名册"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


async def branches(runtime: object) -> dict[str, str]:
    ids = {}
    async with runtime.db.engine.begin() as conn:  # type: ignore[attr-defined]
        for n in range(BRANCHES):
            org_id = str(uuid4())
            payload = {
                "name": f"第{n}党支部",
                "org_type": "branch",
                "domain": "government",
                "parent_id": None,
            }
            event = FeedEvent(
                n + 1,
                org_id,
                1,
                "Organisation.Established",
                "2026-01-01T00:00:00+00:00",
                "jwt:x",
                None,
                None,
                None,
                None,
                payload,
            )
            await OrgTreeProjection().handle(conn, event)
            ids[f"第{n}党支部"] = org_id
    return ids


def bare_save(directory: Path, rows: list[list[str]], ids: dict[str, str]) -> tuple[float, float]:
    """The same people's events built with the domain, then saved by the library alone."""
    settings = Settings(env="dev", data_dir=directory)
    sealer = sealer_for(settings)
    log = MemberLifecycle(Storage.for_service(settings, "member-lifecycle"))
    rules = Rules(
        default_catalogue().in_force("national", date(2026, 1, 1)),
        WorkingDayCalendar.with_overrides([]),
        date(2026, 11, 27),
        sealer,
    )
    started = time.perf_counter()
    people = []
    for row in rows:
        person = Person.register(
            sealer=sealer,
            today=rules.today,
            name=row[0],
            gender=Gender.MALE if row[1] == "男" else Gender.FEMALE,
            ethnicity=row[2],
            resident_id=row[3],
            branch_id=UUID(ids[row[6]]),
            phone=row[5],
        )
        person.import_membership(
            Stage.FORMAL, date.fromisoformat(row[7]), date.fromisoformat(row[8]), "bench", rules
        )
        people.append(person)
    built = time.perf_counter() - started
    meta = EventMeta(actor="bench")
    started = time.perf_counter()
    for first in range(0, len(people), 500):
        log.save(*people[first : first + 500], meta=meta)
    saved = time.perf_counter() - started
    log.close()
    return built, saved


async def timed_import(directory: Path, path: Path) -> tuple[float, dict[str, int]]:
    settings = Settings(env="dev", data_dir=directory)
    runtime = build_runtime(settings)
    await runtime.db.create_all()
    await branches(runtime)
    importer = PeopleImporter(runtime, None, None, EventMeta(actor="bench", reason="bench"))
    started = time.perf_counter()
    report = await run_import(SheetFile.from_path(path), importer, dry_run=False)
    seconds = time.perf_counter() - started
    await runtime.stop()
    assert report.written == PEOPLE, report.summary()
    return seconds, report.summary()


def peak_while_reading(path: Path) -> float:
    tracemalloc.start()
    count = sum(1 for _ in SheetFile.from_path(path).rows(default_mapping()))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count > 0
    return peak / 2**20


async def test_import_against_the_bare_library(tmp_path: Path) -> None:
    rows = roster_rows(PEOPLE)
    csv_path, xlsx_path = tmp_path / "roster.csv", tmp_path / "roster.xlsx"
    write_csv(csv_path, rows)
    write_xlsx(xlsx_path, rows)
    ids_runtime = build_runtime(Settings(env="dev", data_dir=tmp_path / "ids"))
    await ids_runtime.db.create_all()
    ids = await branches(ids_runtime)
    await ids_runtime.stop()
    built, saved = bare_save(tmp_path / "bare", rows, ids)
    from_csv, _ = await timed_import(tmp_path / "csv", csv_path)
    from_xlsx, _ = await timed_import(tmp_path / "xlsx", xlsx_path)
    print(f"\nimport of {PEOPLE} members (SQLite):")
    print(f"  bare library: build {built:.1f}s + save {saved:.1f}s = {built + saved:.1f}s")
    for name, seconds in (("csv", from_csv), ("xlsx", from_xlsx)):
        print(
            f"  {name}: {seconds:.1f}s = {PEOPLE / seconds:,.0f} people/s; "
            f"bare save / import = {saved / seconds:.2f}, "
            f"bare build+save / import = {(built + saved) / seconds:.2f} (target >= 0.50)"
        )
    small = tmp_path / "small.xlsx"
    write_xlsx(small, rows[: PEOPLE // 10])
    print(
        f"  peak memory streaming the xlsx: {peak_while_reading(small):.1f} MiB for "
        f"{PEOPLE // 10} rows, {peak_while_reading(xlsx_path):.1f} MiB for {PEOPLE} rows "
        f"(file {xlsx_path.stat().st_size / 2**20:.1f} MiB)"
    )
