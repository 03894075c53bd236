"""org-registry's event log: its aggregates' repositories and saving, nothing else.

What each command does lives in :mod:`org_registry.commands` (the handlers) and in the
aggregates' own command methods (the rules).
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from jiceng.errors import NotFound
from jiceng.eventlog import EventLog
from org_registry.domain.host_unit import HostUnit
from org_registry.domain.organisation import Organisation
from org_registry.domain.venue import Venue

A = TypeVar("A", Organisation, HostUnit, Venue)


class OrgRegistry(EventLog):
    name = "OrgRegistry"
    aggregate_classes = (Organisation, HostUnit, Venue)

    def organisation(self, org_id: UUID, version: int | None = None) -> Organisation:
        return self._get(Organisation, org_id, "organisation", version)

    def host_unit(self, unit_id: UUID) -> HostUnit:
        return self._get(HostUnit, unit_id, "host_unit", None)

    def venue(self, venue_id: UUID) -> Venue:
        return self._get(Venue, venue_id, "venue", None)

    def parent_of(self, org: Organisation) -> Organisation | None:
        return self.organisation(org.parent_id) if org.parent_id else None

    def ancestor_ids(self, org: Organisation) -> list[UUID]:
        """Ids from ``org``'s parent up to the root, read from the event store."""
        ids: list[UUID] = []
        current = org
        while current.parent_id is not None:
            ids.append(current.parent_id)
            current = self.organisation(current.parent_id)
        return ids

    def _get(self, kind: type[A], aggregate_id: UUID, resource: str, version: int | None) -> A:
        """The aggregate as the kind asked for; anything else reads as not found."""
        try:
            aggregate: object = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError as error:
            raise NotFound("resource.not_found", resource=resource, id=str(aggregate_id)) from error
        if not isinstance(aggregate, kind):
            raise NotFound("resource.not_found", resource=resource, id=str(aggregate_id))
        return aggregate
