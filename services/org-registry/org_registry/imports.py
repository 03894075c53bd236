"""Importing organisations from a roster (导入党组织): the tree departments keep in a sheet.

:class:`OrgImporter` is the org-registry side of :func:`jiceng.sheets.importing.run_import`.
It reads the whole file at once (parents may come after their children), places each row
among the file's rows and the organisations the caller may see, lets the domain decide
whether each new or renamed organisation may be recorded, and writes every change in one
transaction, each event naming the row it came from. Re-running a file writes only what is
new or renamed; an organisation already recorded is never moved or retyped by an import: a
difference is reported instead.

The 书记 column is read and checked but not recorded: the registry keeps leaders only as the
seats of an elected term, and a roster does not say when the term began.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from importlib import resources
from typing import Any

import anyio
from sqlalchemy import select

from jiceng.api.deps import WRITERS, in_scope
from jiceng.auth.principal import Principal
from jiceng.commands import log_of
from jiceng.errors import Forbidden, JicengError, StaleVersion
from jiceng.eventlog import EventMeta
from jiceng.orgtree.projection import org_nodes
from jiceng.orgtree.queries import OrgNode, in_subtree
from jiceng.policy import Policy
from jiceng.policy.catalogue import DEFAULT_PACK
from jiceng.runtime import ServiceRuntime
from jiceng.sheets.importing import Origin, Planned, problem
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetRow
from jiceng.sheets.report import Problem, Report
from org_registry.application import OrgRegistry
from org_registry.imports_plan import ImportedOrg, Trial
from org_registry.imports_resolve import Resolver, Scope
from org_registry.imports_review import recorded_differences
from org_registry.imports_rows import Line, identifiers, read_line

__all__ = ["ImportedOrg", "OrgImporter", "default_mapping"]


def default_mapping() -> Mapping:
    """The column names and spellings of ``sheets/orgs.toml``."""
    text = resources.files("org_registry").joinpath("sheets/orgs.toml").read_text("utf-8")
    return Mapping.parse(text)


class OrgImporter:
    """Organisations from a roster, for one principal, attributed to ``meta``.

    ``mapping`` is a department's own mapping, laid over the default one; ``today`` gives the
    date no establishment may be after (the runtime's clock by default).
    """

    #: the whole file at once: a row may name a parent further down
    batch_size = 0

    def __init__(
        self,
        runtime: ServiceRuntime,
        principal: Principal,
        scope: OrgNode | None,
        meta: EventMeta,
        *,
        mapping: Mapping | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        if not principal.has_any(*WRITERS):
            raise Forbidden("auth.forbidden_role", required=", ".join(r.value for r in WRITERS))
        self.runtime, self.registry = runtime, log_of(runtime, OrgRegistry)
        self.messages = runtime.messages
        self.principal, self.scope, self.meta = principal, scope, meta
        base = default_mapping()
        self.mapping = mapping.over(base) if mapping is not None else base
        self._today = today or runtime.clock

    def start(self) -> None:
        """Nothing carries over between passes: each ``check`` sees the whole file."""

    async def check(self, rows: Sequence[tuple[SheetRow, Origin]], report: Report) -> list[Planned]:
        today = self._today()
        problems: list[Problem] = []
        read: list[Line] = []
        unread: list[tuple[Any, int]] = []
        for row, origin in rows:
            line = read_line(row, origin, self.mapping, today, problems)
            if line is None:
                unread.append((identifiers(row), row.number))
            else:
                read.append(line)
        lines = _first_of_each_code(read, problems)
        resolver = Resolver(lines, Scope(await self._visible()), unread)
        resolver.run()
        for line, refusal in resolver.refused.items():
            problems.append(problem(line.row, refusal.field, refusal.error))
        placed = [line for line in lines if line not in resolver.refused]
        placed = _first_of_each_place(placed, resolver, problems)
        placed = recorded_differences(placed, resolver, self.mapping, problems)
        order = _parents_first(placed, resolver)
        policies = await self._policies(order, resolver, today)
        codes = await self.runtime.orgtree.codes_in_use()
        trial = Trial(self.registry, self.principal, self.meta, resolver, policies, codes)
        await anyio.to_thread.run_sync(trial.run, order)
        problems += trial.problems
        for found in sorted(problems, key=lambda p: (p.sheet, p.row)):
            report.refuse(found)
        return trial.planned

    async def write(self, planned: Sequence[Planned], report: Report) -> int:
        """Save the planned rows' events in one transaction, parents' before children's.
        Someone else having changed one of them since the check writes nothing: each row
        is reported (import the file again)."""
        written: list[ImportedOrg] = [p.record for p in planned if p.record.events]
        events = [event for record in written for event in record.events]
        if not events:
            return 0
        try:
            recordings = await anyio.to_thread.run_sync(
                lambda: self.registry.save(*events, meta=self.meta)
            )
        except StaleVersion:
            for item in planned:
                origin = item.origin
                report.refuse(Problem(origin.sheet, origin.row, "", "", "concurrency.conflict", {}))
            return 0
        head = max(recording.notification.id for recording in recordings)
        await self.runtime.read_your_writes(head, timeout=5.0 + len(events) / 100)
        return len(written)

    # -- steps ------------------------------------------------------------------------------
    async def _visible(self) -> list[OrgNode]:
        """The organisations the import may see and place under: the subtree the caller
        chose and may see (the whole tree for None), never more than the principal's own."""
        query = select(org_nodes)
        root = self.scope
        if root is None and not self.principal.sees_everything:
            org = self.principal.org
            root = await self.runtime.orgtree.get(org) if org is not None else None
            if root is None or not await in_scope(self.runtime, self.principal, root):
                return []
        if root is not None:
            query = query.where(in_subtree(root.path))
        async with self.runtime.db.engine.connect() as conn:
            return [OrgNode.from_row(row) for row in (await conn.execute(query)).all()]

    async def _policies(
        self, order: list[Line], resolver: Resolver, today: date
    ) -> dict[Line, Policy]:
        """The pack in force for each new row where it goes, on its establishment date (as
        the API decides it): the nearest recorded organisation above it, or the default."""
        anchors: dict[Line, OrgNode | None] = {}
        for line in order:
            parent = resolver.parents.get(line)
            if isinstance(parent, Line):
                anchors[line] = resolver.matched.get(parent) or anchors.get(parent)
            else:
                anchors[line] = parent
        by_day: dict[date, list[Line]] = {}
        for line in order:
            if resolver.matched.get(line) is None:
                by_day.setdefault(line.established_on or today, []).append(line)
        catalogue = self.runtime.catalogue
        policies: dict[Line, Policy] = {}
        for day, day_lines in by_day.items():
            nodes = list({n.id: n for line in day_lines if (n := anchors[line])}.values())
            in_force = await self.runtime.orgtree.packs_in_force(nodes, day) if nodes else {}
            for line in day_lines:
                anchor = anchors[line]
                policies[line] = (
                    in_force[anchor.id] if anchor else catalogue.in_force(DEFAULT_PACK, day)
                )
        return policies


def _first_of_each_code(lines: list[Line], problems: list[Problem]) -> list[Line]:
    """Rows after the first with the same code are duplicates."""
    first: dict[str, Line] = {}
    kept = []
    for line in lines:
        if line.code and line.code in first:
            duplicate = JicengError("sheet.duplicate_row", first_row=first[line.code].number)
            problems.append(problem(line.row, "code", duplicate))
            continue
        if line.code:
            first[line.code] = line
        kept.append(line)
    return kept


def _first_of_each_place(
    lines: list[Line], resolver: Resolver, problems: list[Problem]
) -> list[Line]:
    """Rows after the first naming the same organisation (or name under the same parent)."""
    first: dict[Any, Line] = {}
    kept = []
    for line in lines:
        key = resolver.key(line)
        if key in first:
            duplicate = JicengError("sheet.duplicate_row", first_row=first[key].number)
            problems.append(problem(line.row, "name", duplicate))
            continue
        first[key] = line
        kept.append(line)
    return kept


def _parents_first(lines: list[Line], resolver: Resolver) -> list[Line]:
    """The rows in an order where a parent row comes before its children (the rows form a
    forest: cycles were refused)."""
    placed = set(lines)
    order: list[Line] = []
    seen: set[Line] = set()

    def visit(line: Line) -> None:
        if line in seen:
            return
        seen.add(line)
        parent = resolver.parents.get(line)
        if isinstance(parent, Line) and parent in placed:
            visit(parent)
        order.append(line)

    for line in lines:
        visit(line)
    return order
