"""One row of a member roster read into what registering that person needs.

Every field is read on its own so that a row's report names all its problems at once;
organisations are found by code or name among those the importer may see, with the
closest names suggested for one that is not found.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from jiceng.errors import JicengError
from jiceng.ids import normalise_resident_id, resident_id_birth_date
from jiceng.orgtree.queries import OrgNode
from jiceng.personal import mask_phone, mask_resident_id
from jiceng.sheets import cells
from jiceng.sheets.cells import CellError
from jiceng.sheets.importing import problem
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetRow
from jiceng.sheets.report import Problem
from jiceng.text import has_control_characters, has_invisible_characters
from member_lifecycle.domain.person import Gender

#: The 56 民族 (GB 3304): a roster's "汉" is read as "汉族", as the register spells them.
ETHNIC_NAMES = (  # noqa: SIM905
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 "
    "佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 "
    "仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 "
    "独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
ETHNIC_GROUPS = frozenset(f"{name}族" for name in ETHNIC_NAMES)
#: 出生年月 as rosters often keep it: a year and a month.
BIRTH_MONTH = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?")

#: Longest text per field (as the register's API allows).
LIMITS = {"name": 100, "ethnicity": 20, "education": 50, "occupation": 100, "work_unit": 200}
#: Categories an import records, and the date each needs.
DATES_NEEDED = {
    "formal": ("admitted_on", "formal_since"),
    "probationary": ("admitted_on",),
    "applicant": ("applied_on",),
}
CATEGORY_LABELS = {
    "formal": "正式党员",
    "probationary": "预备党员",
    "applicant": "入党申请人",
    "activist": "入党积极分子",
    "candidate": "发展对象",
}
#: Personal data never shown whole in a report (kept in the job's record).
MASKED: dict[str, Callable[[str], str]] = {
    "resident_id": lambda v: mask_resident_id(v) if len(v) >= 2 else "*",
    "phone": lambda v: mask_phone(v) if len(v) >= 4 else "*",
    "birth_date": lambda _v: "****-**-**",
}


@dataclass(frozen=True)
class PersonRow:
    name: str
    gender: Gender | None
    ethnicity: str
    resident_id: str
    birth_date: date | None
    phone: str | None
    education: str | None
    occupation: str | None
    work_unit: str | None
    category: str
    branch: OrgNode
    applied_on: date | None
    admitted_on: date | None
    formal_since: date | None


class RowRefused(Exception):
    def __init__(self, problems: list[Problem], resident_id: str | None) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        #: the number, when it could be read: a later row with it is still a duplicate
        self.problems, self.resident_id = problems, resident_id


def shown(field: str, value: Any) -> str:
    """A value as a report may show it: personal data masked."""
    text = "" if value is None else str(cells.text(value) or "")
    return MASKED[field](text) if field in MASKED and text else text


def refused(row: SheetRow, field: str, error: CellError | JicengError) -> Problem:
    """The row's problem, personal data masked in the value and in the message alike."""
    if field in MASKED:
        params = {
            k: shown(field, v) if isinstance(v, str | date) and k in ("value", "given") else v
            for k, v in error.params.items()
        }
        error = CellError(error.code, **params)
    return problem(row, field, error, value=shown(field, row.cells.get(field)))


class Branches:
    """The organisations an importer may place people in, by code and by name."""

    def __init__(self, nodes: Iterable[OrgNode]) -> None:
        self.by_code: dict[str, OrgNode] = {}
        self.by_name: dict[str, list[OrgNode]] = {}
        self.ids: set[UUID] = set()
        for node in nodes:
            self.ids.add(node.id)
            if node.status != "active":
                continue
            if node.code:
                self.by_code[node.code.upper()] = node
            for name in {node.name, node.short_name} - {None}:
                self.by_name.setdefault(str(cells.normalise(name)), []).append(node)

    def holds(self, org_id: UUID) -> bool:
        """Whether ``org_id`` lies in the importer's subtree (active or not)."""
        return org_id in self.ids

    def find(self, value: str) -> OrgNode:
        if value.upper() in self.by_code:
            return self.by_code[value.upper()]
        found = self.by_name.get(value, [])
        if len(found) == 1:
            return found[0]
        if found:
            codes = [n.code or str(n.id) for n in found]
            raise CellError("sheet.org_ambiguous", value=value, codes=codes)
        close = difflib.get_close_matches(value, list(self.by_name), n=3, cutoff=0.4)
        raise CellError("sheet.org_unknown", value=value, suggestions=close or ["—"])


def read_row(row: SheetRow, mapping: Mapping, branches: Branches) -> PersonRow:
    """The row's values, or :class:`RowRefused` with every problem it has."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def read(field: str, parse: Any) -> None:
        raw = row.cells.get(field)
        try:
            values[field] = parse(raw)
        except (CellError, JicengError) as failure:
            problems.append(refused(row, field, failure))
            values[field] = None
            return
        if values[field] is None and field in mapping.required:
            missing = CellError("sheet.required", column=row.headers.get(field, field))
            problems.append(refused(row, field, missing))

    for field, limit in LIMITS.items():
        read(field, lambda raw, f=field, n=limit: _text(row, f, raw, n))
    if values["ethnicity"] and f"{values['ethnicity']}族" in ETHNIC_GROUPS:
        values["ethnicity"] += "族"
    read("resident_id", _resident_id)
    read(
        "gender", lambda raw: Gender(mapping.code("gender", raw) or "") if cells.text(raw) else None
    )
    read("category", lambda raw: mapping.code("category", raw))
    read("phone", cells.phone)
    read("branch", lambda raw: branches.find(t) if (t := cells.text(raw)) else None)
    for field in ("applied_on", "admitted_on", "formal_since"):
        read(field, cells.day)
    read("birth_date", lambda raw: _birth_date(raw, values["resident_id"]))
    category = values["category"]
    if category in ("activist", "candidate"):
        error = CellError("import.category_by_steps", category=CATEGORY_LABELS[category])
        problems.append(refused(row, "category", error))
    for field in DATES_NEEDED.get(category or "", ()):
        if values[field] is None and not any(p.column == row.headers.get(field) for p in problems):
            label = CATEGORY_LABELS[category]
            column = row.headers.get(field, mapping.header(field))
            error = CellError("import.date_required", category=label, column=column)
            problems.append(refused(row, field, error))
    order = [f for f in ("applied_on", "admitted_on", "formal_since") if values[f] is not None]
    for earlier, later in itertools.pairwise(order):
        if values[later] < values[earlier]:
            error = CellError(
                "sheet.dates_out_of_order",
                earlier=row.headers.get(earlier, earlier),
                earlier_on=values[earlier],
                later=row.headers.get(later, later),
                later_on=values[later],
            )
            problems.append(refused(row, later, error))
    if problems:
        raise RowRefused(problems, values["resident_id"])
    return PersonRow(**values)


def _text(row: SheetRow, field: str, raw: Any, limit: int) -> str | None:
    text = cells.text(raw)
    column = row.headers.get(field, field)
    if text is not None and (has_control_characters(text) or has_invisible_characters(text)):
        raise CellError("sheet.not_single_line", column=column)
    if text is not None and len(text) > limit:
        raise CellError("sheet.too_long", column=column, limit=limit)
    return text


def _birth_date(raw: Any, number: str | None) -> date | None:
    """出生日期 as a date, or 出生年月 (a year and a month) held against the number's."""
    text = cells.text(raw)
    month = BIRTH_MONTH.fullmatch(text) if isinstance(raw, str) and text else None
    if month is None:
        return cells.day(raw)
    if number is not None:
        born = resident_id_birth_date(number)
        if (born.year, born.month) != (int(month.group(1)), int(month.group(2))):
            raise CellError("person.birth_date_mismatch", given=text)
        return born
    return None


def _resident_id(raw: Any) -> str | None:
    number = cells.resident_id(raw)
    return None if number is None else normalise_resident_id(number)[0]
