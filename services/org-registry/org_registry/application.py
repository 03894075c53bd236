"""org-registry's commands: load → act → save, nothing else."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from jiceng.errors import NotFound
from jiceng.eventlog import EventLog, EventMeta
from jiceng.eventlog.versions import check_version
from org_registry.domain.organisation import Organisation, OrgDomain, OrgType


class OrgRegistry(EventLog):
    name = "OrgRegistry"
    aggregate_classes = (Organisation,)

    def organisation(self, org_id: UUID, version: int | None = None) -> Organisation:
        try:
            org: Organisation = self.repository.get(org_id, version=version)
        except AggregateNotFoundError as error:
            raise NotFound("resource.not_found", resource="organisation", id=str(org_id)) from error
        return org

    def establish(
        self,
        *,
        name: str,
        org_type: OrgType,
        domain: OrgDomain,
        parent_id: UUID | None,
        established_on: date | None,
        meta: EventMeta,
    ) -> tuple[Organisation, int]:
        """Establish an organisation; return it and the position of its event in the log."""
        parent = self.organisation(parent_id) if parent_id else None
        org = Organisation.establish(
            name=name,
            org_type=org_type,
            domain=domain,
            parent=parent,
            established_on=established_on,
        )
        recordings = self.save(org, meta=meta)
        return org, recordings[-1].notification.id

    def rename(
        self, org_id: UUID, *, name: str, expected_version: int | None, meta: EventMeta
    ) -> tuple[Organisation, int]:
        org = self.organisation(org_id)
        check_version(expected_version, org.version)
        org.rename(name)
        recordings = self.save(org, meta=meta)
        return org, recordings[-1].notification.id
