"""A roster row against the organisation already recorded: what an import may not change.

An import records new organisations and renames; it never moves an organisation, changes
its type, domain, founding date or code. A row that says otherwise is refused with both
values, so that the clerk corrects the file or asks for the change by its own command.
"""

from __future__ import annotations

from typing import Any

from jiceng.errors import JicengError
from jiceng.orgtree.queries import OrgNode
from jiceng.sheets.importing import problem
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.report import Problem
from org_registry.domain.types import OrgDomain, OrgType
from org_registry.imports_resolve import Resolver
from org_registry.imports_rows import Line

#: Shown for a recorded value the caller may not see (a parent outside its subtree) or none.
HIDDEN = "—"


def recorded_differences(
    lines: list[Line], resolver: Resolver, mapping: Mapping, problems: list[Problem]
) -> list[Line]:
    """The rows that agree with what is recorded; the others' differences in ``problems``."""
    kept = []
    for line in lines:
        node = resolver.matched.get(line)
        found = [] if node is None else list(_differences(line, node, resolver, mapping))
        problems.extend(found)
        if not found:
            kept.append(line)
    return kept


def _differences(line: Line, node: OrgNode, resolver: Resolver, mapping: Mapping) -> Any:
    if line.parent is not None:
        parent = resolver.parents.get(line)
        if parent is None or resolver.node_of(parent) != node.parent_id:
            recorded = resolver.scope.by_id.get(node.parent_id) if node.parent_id else None
            shown = recorded.name if recorded else HIDDEN
            error = JicengError("orgimport.parent_differs", recorded=shown)
            yield problem(line.row, "parent", error)

    def differs(field: str, recorded: str | None, value: str) -> Problem:
        column = line.row.headers.get(field, mapping.header(field))
        error = JicengError(
            "orgimport.field_differs", column=column, recorded=recorded or HIDDEN, value=value
        )
        return problem(line.row, field, error)

    if line.org_type.value != node.org_type:
        yield differs("org_type", OrgType.of(node.org_type).label, line.org_type.label)
    if node.domain is not None and line.domain.value != node.domain:
        yield differs("domain", OrgDomain.of(node.domain).label, line.domain.label)
    if line.established_on is not None and line.established_on != node.established_on:
        recorded_on = node.established_on.isoformat() if node.established_on else None
        yield differs("established_on", recorded_on, line.established_on.isoformat())
    if line.code is not None and line.code != node.code:
        yield differs("code", node.code, line.code)
