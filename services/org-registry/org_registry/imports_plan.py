"""What importing each resolved row does, decided by the domain itself.

Rows are taken parents first. A new row is established by ``Organisation.establish`` and a
renamed one by ``Organisation.rename``, on the aggregates as stored: the rules the API
enforces (placement by type under the pack in force, an active parent, a one-line name)
refuse a row here exactly as they refuse a request. The events each row causes (its own and
its parent's ``ChildAttached``) are kept with the row, attributed to it, to be saved together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent

from jiceng.auth.principal import Principal, Role
from jiceng.errors import JicengError
from jiceng.eventlog import EventMeta
from jiceng.orgtree.queries import OrgNode
from jiceng.policy import Policy
from jiceng.sheets.importing import Action, Planned, problem
from jiceng.sheets.report import Problem
from org_registry.application import OrgRegistry
from org_registry.domain.organisation import Organisation
from org_registry.imports_resolve import Resolver
from org_registry.imports_rows import Line

#: The column a domain refusal points at (the type column otherwise).
_FIELD_OF = {
    "organisation.name_empty": "name",
    "organisation.name_too_long": "name",
    "organisation.name_not_single_line": "name",
    "organisation.inactive": "parent",
    "organisation.root_needs_platform_admin": "parent",
    "organisation.code_taken": "code",
}


@dataclass
class ImportedOrg:
    """A planned row: the organisation it is and the events writing it records."""

    line: Line
    org_id: UUID
    events: list[DomainEvent] = field(default_factory=list)


@dataclass
class Trial:
    """Runs the domain's commands on the stored aggregates, one row after another."""

    registry: OrgRegistry
    principal: Principal
    meta: EventMeta
    resolver: Resolver
    #: the pack in force for each new row's place
    policies: dict[Line, Policy]
    #: codes given to organisations anywhere in the tree (upper case)
    codes_in_use: set[str] = field(default_factory=set)
    planned: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _loaded: dict[UUID, Organisation] = field(default_factory=dict)
    _made: dict[Line, Organisation] = field(default_factory=dict)

    def run(self, order: list[Line]) -> None:
        for line in order:
            parent = self.resolver.parents.get(line)
            if isinstance(parent, Line) and parent not in self._made:
                refusal = JicengError("orgimport.parent_refused", parent_row=parent.number)
                self.problems.append(problem(line.row, "parent", refusal))
                continue
            node = self.resolver.matched.get(line)
            try:
                if node is None:
                    self._establish(line, parent)
                else:
                    self._update(line, node)
            except JicengError as error:
                column = _FIELD_OF.get(error.code, "org_type")
                self.problems.append(problem(line.row, column, error))

    def _stored(self, org_id: UUID) -> Organisation:
        if org_id not in self._loaded:
            self._loaded[org_id] = self.registry.organisation(org_id)
        return self._loaded[org_id]

    def _establish(self, line: Line, parent: Line | OrgNode | None) -> None:
        if isinstance(parent, Line):
            holder: Organisation | None = self._made[parent]
        elif parent is not None:
            holder = self._stored(parent.id)
        else:
            if not self.principal.has_any(Role.PLATFORM_ADMIN):
                raise JicengError("organisation.root_needs_platform_admin")
            holder = None
        if line.code and line.code.upper() in self.codes_in_use:
            raise JicengError("organisation.code_taken", code=line.code)
        policy = self.policies[line]
        org = Organisation.establish(
            policy=policy,
            name=line.name,
            org_type=line.org_type,
            domain=line.domain,
            parent=holder,
            established_on=line.established_on,
            short_name=line.short_name,
            code=line.code,
            source=line.source,
        )
        if line.secretary is not None:
            org.note_secretary(line.secretary, source=line.source)
        self._made[line] = org
        events = [*org.collect_events(), *(holder.collect_events() if holder else [])]
        self._plan(line, org, Action.NEW, events, self.meta.with_pack(policy.ref))

    def _update(self, line: Line, node: OrgNode) -> None:
        org = self._stored(node.id)
        self._made[line] = org
        renamed = line.name != org.name or (
            line.short_name is not None and line.short_name != org.short_name
        )
        if renamed:
            org.rename(line.name, line.short_name, source=line.source)
        if line.secretary is not None:
            org.note_secretary(line.secretary, source=line.source)
        events = list(org.collect_events())
        action = Action.CHANGED if events else Action.UNCHANGED
        self._plan(line, org, action, events, self.meta)

    def _plan(
        self,
        line: Line,
        org: Organisation,
        action: Action,
        events: list[Any],
        meta: EventMeta,
    ) -> None:
        for event in events:
            # Attributed one by one (the mapper keeps an event's own meta): a row's events
            # name the pack that placed that row, though the whole file is one save.
            object.__setattr__(event, "meta", meta.as_dict())
        self.planned.append(Planned(line.origin, action, ImportedOrg(line, org.id, events)))
