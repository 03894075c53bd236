"""The base of org-registry's event log: loading an aggregate of the expected kind, saving."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from jiceng.errors import NotFound
from jiceng.eventlog import EventLog, EventMeta
from org_registry.domain.organisation import Organisation

A = TypeVar("A")


class RegistryLog(EventLog):
    """Loading an aggregate as the kind asked for (anything else is not found), saving."""

    def _get(self, cls: type[A], aggregate_id: UUID, resource: str, version: int | None) -> A:
        try:
            aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError as error:
            raise NotFound("resource.not_found", resource=resource, id=str(aggregate_id)) from error
        if not isinstance(aggregate, cls):
            raise NotFound("resource.not_found", resource=resource, id=str(aggregate_id))
        return aggregate

    def organisation(self, org_id: UUID, version: int | None = None) -> Organisation:
        return self._get(Organisation, org_id, "organisation", version)

    def _save(self, *aggregates: Any, meta: EventMeta) -> int:
        return self.save(*aggregates, meta=meta)[-1].notification.id
