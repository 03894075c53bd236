"""Which organisation each roster row is, and under which parent it goes.

A parent is named by code first, then by exact name, among the file's own rows and the
organisations the caller may see; nothing outside the caller's subtree is ever matched or
suggested. A row is the existing organisation with its code or, without a code, the one with
its name under the same parent; otherwise it is new. Rows may come in any order.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from jiceng.orgtree.queries import OrgNode
from jiceng.sheets.cells import CellError
from org_registry.imports_rows import Line

#: A row's parent: another row, an existing organisation, or none (a top-level organisation).
Target = Line | OrgNode | None
#: Close names offered for a parent that is not found.
SUGGESTIONS = 5


class Refusal(Exception):
    """A row cannot be imported: the field at fault and the broken rule."""

    def __init__(self, field: str, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.field, self.error = field, CellError(code, **params)


@dataclass
class Scope:
    """The organisations the caller may see, indexed by code, name and place."""

    nodes: list[OrgNode]
    by_code: dict[str, list[OrgNode]] = field(default_factory=dict)
    by_name: dict[str, list[OrgNode]] = field(default_factory=dict)
    by_place: dict[tuple[UUID | None, str], list[OrgNode]] = field(default_factory=dict)
    by_id: dict[UUID, OrgNode] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in self.nodes:
            self.by_id[node.id] = node
            if node.code:
                self.by_code.setdefault(node.code, []).append(node)
            self.by_name.setdefault(node.name, []).append(node)
            self.by_place.setdefault((node.parent_id, node.name), []).append(node)


class Resolver:
    """Resolves every row once (memoised); ``refused`` holds the rows that cannot be placed."""

    def __init__(self, lines: list[Line], scope: Scope, unread: list[tuple[Any, int]]) -> None:
        """``unread``: the code and name of each row that could not be read, and its row."""
        self.scope = scope
        self.unread_codes: dict[str, int] = {}
        self.unread_names: dict[str, int] = {}
        for (code, name), number in unread:
            if code:
                self.unread_codes.setdefault(code, number)
            if name:
                self.unread_names.setdefault(name, number)
        self.lines = lines
        self.by_code: dict[str, Line] = {}
        self.by_name: dict[str, list[Line]] = {}
        for line in lines:
            if line.code:
                self.by_code.setdefault(line.code, line)
            self.by_name.setdefault(line.name, []).append(line)
        self.matched: dict[Line, OrgNode | None] = {}
        self.parents: dict[Line, Target] = {}
        self.refused: dict[Line, Refusal] = {}
        self._resolving: list[Line] = []

    def run(self) -> None:
        for line in self.lines:
            try:
                self.resolve(line)
            except Refusal:
                continue  # kept in ``refused``

    # -- a row ------------------------------------------------------------------------------
    def resolve(self, line: Line) -> OrgNode | None:
        """The existing organisation the row is (``None``: a new one); raises its refusal."""
        if line in self.refused:
            raise self.refused[line]
        if line in self.matched:
            return self.matched[line]
        if line in self._resolving:
            cycle = self._resolving[self._resolving.index(line) :]
            rows = sorted(member.number for member in cycle)
            for member in cycle:
                self.refused[member] = Refusal("parent", "orgimport.parent_cycle", rows=rows)
            raise self.refused[line]
        self._resolving.append(line)
        try:
            match = self._match(line)
        except Refusal as refusal:
            self.refused.setdefault(line, refusal)
            raise self.refused[line] from None
        finally:
            self._resolving.remove(line)
        self.matched[line] = match
        return match

    def _match(self, line: Line) -> OrgNode | None:
        by_code = self.scope.by_code.get(line.code, []) if line.code else []
        if len(by_code) > 1:
            raise Refusal("code", "sheet.org_ambiguous", value=line.code, codes=[line.code])
        parent = self.parent_of(line)  # checked even when the code decides
        if by_code:
            return by_code[0]
        if isinstance(parent, Line) and self.resolve(parent) is None:
            return None  # under a new organisation: new as well
        parent_id = self.node_of(parent)
        found = self.scope.by_place.get((parent_id, line.name), [])
        if len(found) > 1:
            codes = [node.code or "—" for node in found]
            raise Refusal("name", "orgimport.name_ambiguous", value=line.name, codes=codes)
        return found[0] if found else None

    def node_of(self, target: Target) -> UUID | None:
        """The id of an existing target (``None`` for a top-level place)."""
        if isinstance(target, Line):
            node = self.matched.get(target)
            return node.id if node else None
        return target.id if target is not None else None

    # -- its parent -------------------------------------------------------------------------
    def parent_of(self, line: Line) -> Target:
        if line in self.parents:
            return self.parents[line]
        target = self._parent(line) if line.parent else None
        self.parents[line] = target
        return target

    def _parent(self, line: Line) -> Target:
        ref = str(line.parent)
        by_code = self.by_code.get(ref)
        if by_code is line:
            raise Refusal("parent", "orgimport.parent_cycle", rows=[line.number])
        if by_code is not None:
            return self._usable(by_code)
        if ref in self.unread_codes:
            raise Refusal("parent", "orgimport.parent_refused", parent_row=self.unread_codes[ref])
        nodes = self.scope.by_code.get(ref, [])
        if len(nodes) > 1:
            raise Refusal("parent", "sheet.org_ambiguous", value=ref, codes=[ref])
        if nodes:
            return nodes[0]
        return self._by_name(line, ref)

    def _by_name(self, line: Line, ref: str) -> Target:
        candidates: dict[Any, Line | OrgNode] = {}
        for other in self.by_name.get(ref, []):
            if other is not line:
                candidates.setdefault(self.key(other), other)
        for node in self.scope.by_name.get(ref, []):
            candidates.setdefault(("org", node.id), node)
        if not candidates and ref in self.unread_names:
            raise Refusal("parent", "orgimport.parent_refused", parent_row=self.unread_names[ref])
        if not candidates:
            names = [*self.scope.by_name, *self.by_name]
            close = difflib.get_close_matches(ref, _unique(names), n=SUGGESTIONS, cutoff=0.4)
            raise Refusal("parent", "sheet.org_unknown", value=ref, suggestions=close or ["—"])
        if len(candidates) > 1:
            codes = [_code_of(c) for c in candidates.values()]
            raise Refusal("parent", "sheet.org_ambiguous", value=ref, codes=codes)
        [found] = candidates.values()
        return self._usable(found) if isinstance(found, Line) else found

    def _usable(self, parent: Line) -> Line:
        """A parent row, unless it is refused (then so is its child; the rows of a cycle
        already hold their own refusal)."""
        try:
            self.resolve(parent)
        except Refusal:
            raise Refusal("parent", "orgimport.parent_refused", parent_row=parent.number) from None
        return parent

    def key(self, target: Target) -> Any:
        """What makes two rows the same organisation: the existing one they are, or the
        place (parent, name) of a new one; a refused row is only itself."""
        if target is None:
            return ("top",)
        if not isinstance(target, Line):
            return ("org", target.id)
        try:
            node = self.resolve(target)
        except Refusal:
            return ("refused", id(target))
        if node is not None:
            return ("org", node.id)
        return ("new", self.key(self.parents.get(target)), target.name)


def _code_of(candidate: Line | OrgNode) -> str:
    if isinstance(candidate, Line):
        return candidate.code or f"第{candidate.number}行"
    return candidate.code or candidate.name


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))
