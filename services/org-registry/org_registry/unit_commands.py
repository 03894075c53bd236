"""org-registry's commands on host units (两新组织) and venues (阵地): load, act, save."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from jiceng.errors import Conflict, StaleVersion
from jiceng.eventlog import EventMeta
from jiceng.eventlog.versions import check_version
from jiceng.policy import Policy
from org_registry.domain.host_unit import HostUnit
from org_registry.domain.types import CoverageKind, UnitType, VenueGrade
from org_registry.domain.venue import Venue
from org_registry.registry_log import RegistryLog


class UnitCommands(RegistryLog):
    """Host units and venues: each command loads, acts and saves one aggregate."""

    def host_unit(self, unit_id: UUID) -> HostUnit:
        return self._get(HostUnit, unit_id, "host_unit", None)

    def venue(self, venue_id: UUID) -> Venue:
        return self._get(Venue, venue_id, "venue", None)

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
