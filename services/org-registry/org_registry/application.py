"""org-registry's commands: load → act → save, nothing else.

Rules come in as a :class:`Policy` resolved by the caller for the organisation and date; the
pack that decided is written into each event's attribution.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from jiceng.errors import Conflict, NotFound, StaleVersion
from jiceng.eventlog import EventLog, EventMeta
from jiceng.eventlog.versions import check_version
from jiceng.policy import Policy, PolicyPack
from org_registry.domain.host_unit import HostUnit
from org_registry.domain.organisation import Organisation
from org_registry.domain.term import Seat
from org_registry.domain.types import CoverageKind, OrgDomain, OrgType, UnitType, VenueGrade
from org_registry.domain.venue import Venue

A = TypeVar("A")
Result = tuple[Organisation, int]


def _alone(act: Callable[[Organisation], None]) -> Callable[[Organisation], list[Any]]:
    """An act that changes the organisation alone (nothing else to save)."""

    def run(org: Organisation) -> list[Any]:
        act(org)
        return []

    return run


class OrgRegistry(EventLog):
    name = "OrgRegistry"
    aggregate_classes = (Organisation, HostUnit, Venue)

    # -- loading ----------------------------------------------------------------------------
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

    def host_unit(self, unit_id: UUID) -> HostUnit:
        return self._get(HostUnit, unit_id, "host_unit", None)

    def venue(self, venue_id: UUID) -> Venue:
        return self._get(Venue, venue_id, "venue", None)

    def _parent(self, org: Organisation) -> Organisation | None:
        return self.organisation(org.parent_id) if org.parent_id else None

    def ancestor_ids(self, org: Organisation) -> list[UUID]:
        """Ids from ``org``'s parent up to the root, read from the event store."""
        ids: list[UUID] = []
        current = org
        while current.parent_id is not None:
            ids.append(current.parent_id)
            current = self.organisation(current.parent_id)
        return ids

    def _save(self, *aggregates: Any, meta: EventMeta) -> int:
        return self.save(*aggregates, meta=meta)[-1].notification.id

    def _change(
        self,
        org_id: UUID,
        expected_version: int | None,
        meta: EventMeta,
        act: Callable[[Organisation], list[Any]],
    ) -> Result:
        """Load, check the caller's version, act, and save everything the act touched."""
        org = self.organisation(org_id)
        check_version(expected_version, org.version)
        others = act(org)
        return org, self._save(org, *others, meta=meta)

    # -- the tree ---------------------------------------------------------------------------
    def establish(
        self,
        *,
        policy: Policy,
        name: str,
        org_type: OrgType,
        domain: OrgDomain,
        parent_id: UUID | None,
        established_on: date | None,
        meta: EventMeta,
        short_name: str | None = None,
        code: str | None = None,
        region_code: str | None = None,
        student_branch: bool = False,
    ) -> Result:
        """Establish an organisation; return it and the position of its event in the log."""
        parent = self.organisation(parent_id) if parent_id else None
        org = Organisation.establish(
            policy=policy,
            name=name,
            org_type=org_type,
            domain=domain,
            parent=parent,
            established_on=established_on,
            short_name=short_name,
            code=code,
            region_code=region_code,
            student_branch=student_branch,
        )
        return org, self._save(org, parent, meta=meta.with_pack(policy.ref))

    def rename(
        self,
        org_id: UUID,
        *,
        name: str,
        short_name: str | None = None,
        expected_version: int | None,
        meta: EventMeta,
    ) -> Result:
        return self._change(
            org_id, expected_version, meta, _alone(lambda org: org.rename(name, short_name))
        )

    def reaffiliate(
        self,
        org_id: UUID,
        *,
        parent_id: UUID,
        policy: Policy,
        expected_version: int | None,
        meta: EventMeta,
    ) -> Result:
        def act(org: Organisation) -> list[Any]:
            new_parent = self.organisation(parent_id)
            old_parent = self._parent(org)
            org.reaffiliate(policy, new_parent, old_parent, self.ancestor_ids(new_parent))
            return [old_parent, new_parent]

        return self._change(org_id, expected_version, meta.with_pack(policy.ref), act)

    def merge(
        self,
        org_id: UUID,
        *,
        into_id: UUID,
        merged_on: date,
        policy: Policy,
        expected_version: int | None,
        meta: EventMeta,
    ) -> Result:
        def act(org: Organisation) -> list[Any]:
            target = self.organisation(into_id)
            children = [self.organisation(child) for child in sorted(org.children)]
            parent = self._parent(org)
            org.merge_into(policy, target, self.ancestor_ids(target), children, parent, merged_on)
            return [target, parent, *children]

        return self._change(org_id, expected_version, meta.with_pack(policy.ref), act)

    def dissolve(
        self,
        org_id: UUID,
        *,
        dissolved_on: date,
        members: int,
        expected_version: int | None,
        meta: EventMeta,
    ) -> Result:
        def act(org: Organisation) -> list[Any]:
            parent = self._parent(org)
            org.dissolve(dissolved_on, members, parent)
            return [parent]

        return self._change(org_id, expected_version, meta, act)

    def restore(
        self, org_id: UUID, *, restored_on: date, expected_version: int | None, meta: EventMeta
    ) -> Result:
        def act(org: Organisation) -> list[Any]:
            parent = self._parent(org)
            org.restore(restored_on, parent)
            return [parent]

        return self._change(org_id, expected_version, meta, act)

    def assign_policy_pack(
        self, org_id: UUID, *, pack: PolicyPack, effective_from: date, meta: EventMeta
    ) -> Result:
        return self._change(
            org_id,
            None,
            meta.with_pack(pack.ref),
            _alone(lambda org: org.assign_policy_pack(pack, effective_from)),
        )

    # -- terms ------------------------------------------------------------------------------
    def record_election(
        self,
        org_id: UUID,
        *,
        held_on: date,
        seats: list[Seat],
        policy: Policy,
        expected_version: int | None,
        meta: EventMeta,
    ) -> Result:
        return self._change(
            org_id,
            expected_version,
            meta.with_pack(policy.ref),
            _alone(lambda org: org.record_election(policy, held_on, seats)),
        )

    def approve_leaders(
        self, org_id: UUID, *, approved_on: date, approved_by: str, meta: EventMeta
    ) -> Result:
        return self._change(
            org_id, None, meta, _alone(lambda org: org.approve_leaders(approved_on, approved_by))
        )

    def open_vacancy(self, org_id: UUID, *, office: Any, since: date, meta: EventMeta) -> Result:
        return self._change(org_id, None, meta, _alone(lambda org: org.open_vacancy(office, since)))

    def fill_vacancy(self, org_id: UUID, *, seat: Seat, filled_on: date, meta: EventMeta) -> Result:
        return self._change(
            org_id, None, meta, _alone(lambda org: org.fill_vacancy(seat, filled_on))
        )

    def postpone_term(
        self,
        org_id: UUID,
        *,
        months: int,
        approved_on: date,
        approved_by: str,
        policy: Policy,
        meta: EventMeta,
    ) -> Result:
        return self._change(
            org_id,
            None,
            meta.with_pack(policy.ref),
            _alone(lambda org: org.postpone_term(policy, months, approved_on, approved_by)),
        )

    # -- host units -------------------------------------------------------------------------
    def register_host_unit(
        self,
        *,
        name: str,
        credit_code: str,
        unit_type: UnitType,
        employees: int,
        region_code: str,
        managing_org_id: UUID,
        meta: EventMeta,
    ) -> tuple[HostUnit, int]:
        self.organisation(managing_org_id).check_active()
        unit = HostUnit.register(
            name=name,
            credit_code=credit_code,
            unit_type=unit_type,
            employees=employees,
            region_code=region_code,
            managing_org_id=managing_org_id,
        )
        try:
            return unit, self._save(unit, meta=meta)
        except StaleVersion as error:  # the id derives from the credit code
            raise Conflict("host_unit.duplicate_credit_code", credit_code=credit_code) from error

    def record_unit_members(
        self,
        unit_id: UUID,
        *,
        formal: int,
        total: int,
        as_of: date,
        policy: Policy,
        meta: EventMeta,
    ) -> tuple[HostUnit, int]:
        unit = self.host_unit(unit_id)
        unit.record_members(policy, formal, total, as_of)
        return unit, self._save(unit, meta=meta)

    def cover_unit(
        self,
        unit_id: UUID,
        *,
        kind: CoverageKind,
        covered_on: date,
        org_id: UUID | None,
        instructor: str | None,
        meta: EventMeta,
    ) -> tuple[HostUnit, int]:
        unit = self.host_unit(unit_id)
        org_type = None
        if org_id is not None:
            org = self.organisation(org_id)
            org.check_active()
            org_type = org.org_type.value
        unit.cover(kind, covered_on, org_id=org_id, org_type=org_type, instructor=instructor)
        return unit, self._save(unit, meta=meta)

    # -- venues -----------------------------------------------------------------------------
    def register_venue(
        self,
        *,
        org_id: UUID,
        name: str,
        area_m2: Decimal,
        households_served: int,
        checklist: dict[str, bool],
        meta: EventMeta,
    ) -> tuple[Venue, int]:
        self.organisation(org_id).check_active()
        venue = Venue.register(
            org_id=org_id,
            name=name,
            area_m2=area_m2,
            households_served=households_served,
            checklist=checklist,
        )
        return venue, self._save(venue, meta=meta)

    def update_venue(
        self,
        venue_id: UUID,
        *,
        area_m2: Decimal,
        households_served: int,
        checklist: dict[str, bool],
        expected_version: int | None,
        meta: EventMeta,
    ) -> tuple[Venue, int]:
        venue = self.venue(venue_id)
        check_version(expected_version, venue.version)
        venue.update(area_m2, households_served, checklist)
        return venue, self._save(venue, meta=meta)

    def rate_venue(
        self,
        venue_id: UUID,
        *,
        grade: VenueGrade,
        inspected_on: date,
        inspector: str,
        policy: Policy,
        meta: EventMeta,
    ) -> tuple[Venue, int]:
        venue = self.venue(venue_id)
        venue.rate(policy, grade, inspected_on, inspector)
        return venue, self._save(venue, meta=meta.with_pack(policy.ref))
