"""One row of an organisation roster read into what it claims, or refused field by field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jiceng.errors import JicengError
from jiceng.sheets import cells
from jiceng.sheets.cells import CellError
from jiceng.sheets.importing import Origin, problem
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetRow
from jiceng.sheets.report import Problem
from jiceng.text import has_control_characters, has_invisible_characters
from org_registry.domain.organisation import ImportSource
from org_registry.domain.structure import check_name
from org_registry.domain.types import OrgDomain, OrgType

#: Longest short name, code and secretary name kept (a name has the domain's own limit).
TEXT_LIMIT = 100


@dataclass(eq=False)
class Line:
    """A row's claims: the organisation it describes and the parent it names."""

    row: SheetRow
    origin: Origin
    name: str
    org_type: OrgType
    domain: OrgDomain
    short_name: str | None
    code: str | None
    parent: str | None
    established_on: date | None
    #: read and checked, not recorded: the registry keeps leaders only as elected terms
    secretary: str | None

    @property
    def number(self) -> int:
        return self.row.number

    @property
    def source(self) -> ImportSource:
        return ImportSource(
            file=self.origin.file,
            sheet=self.origin.sheet,
            row=self.origin.row,
            sha256=self.origin.sha256,
        )


def read_line(
    row: SheetRow, origin: Origin, mapping: Mapping, today: date, problems: list[Problem]
) -> Line | None:
    """The row's claims, or ``None`` with each broken field's problem in ``problems``."""
    failed = False

    def field(name: str, parse: Any) -> Any:
        nonlocal failed
        try:
            value = parse(row.cells.get(name))
            if value is None and name in mapping.required:
                column = row.headers.get(name, mapping.header(name))
                raise CellError("sheet.required", column=column)
            return value
        except (CellError, JicengError) as error:
            failed = True
            problems.append(problem(row, name, error))
            return None

    def one_line(name: str) -> Any:
        def parse(value: Any) -> str | None:
            if isinstance(value, str) and (
                has_control_characters(value.strip()) or has_invisible_characters(value)
            ):
                column = row.headers.get(name, mapping.header(name))
                raise CellError("sheet.not_single_line", column=column)
            shown = cells.text(value)
            if shown is not None and name != "name" and len(shown) > TEXT_LIMIT:
                column = row.headers.get(name, mapping.header(name))
                raise CellError("sheet.too_long", column=column, limit=TEXT_LIMIT)
            return shown

        return parse

    def spelled(name: str) -> Any:
        return lambda value: mapping.code(name, value)

    name = field("name", lambda v: _name(one_line("name")(v)))
    org_type = field("org_type", spelled("org_type"))
    domain = field("domain", spelled("domain"))
    short_name = field("short_name", one_line("short_name"))
    code = field("code", one_line("code"))
    parent = field("parent", one_line("parent"))
    secretary = field("secretary", one_line("secretary"))
    established_on = field("established_on", _not_after(today, row, mapping))
    if failed:
        return None
    return Line(
        row=row,
        origin=origin,
        name=name,
        org_type=OrgType.of(org_type),
        domain=OrgDomain.of(domain),
        short_name=short_name,
        code=code,
        parent=parent,
        established_on=established_on,
        secretary=secretary,
    )


def identifiers(row: SheetRow) -> tuple[str | None, str | None]:
    """A refused row's code and name as typed (children naming it are refused with it)."""
    return cells.text(row.cells.get("code")), cells.text(row.cells.get("name"))


def _name(value: str | None) -> str | None:
    return None if value is None else check_name(value)


def _not_after(today: date, row: SheetRow, mapping: Mapping) -> Any:
    def parse(value: Any) -> date | None:
        day = cells.day(value)
        if day is not None and day > today:
            column = row.headers.get("established_on", mapping.header("established_on"))
            raise CellError(
                "orgimport.date_in_future", column=column, value=day.isoformat(), today=today
            )
        return day

    return parse
