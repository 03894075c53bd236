"""org-registry's commands: load → act → save, nothing else.

Rules come in as a :class:`Policy` resolved by the caller for the organisation and date; the
pack that decided is written into each event's attribution.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from jiceng.eventlog import EventMeta
from jiceng.eventlog.versions import check_version
from jiceng.policy import Policy, PolicyPack
from org_registry.domain.host_unit import HostUnit
from org_registry.domain.organisation import Organisation
from org_registry.domain.term import Seat
from org_registry.domain.types import OrgDomain, OrgType
from org_registry.domain.venue import Venue
from org_registry.unit_commands import UnitCommands

Result = tuple[Organisation, int]


def _alone(act: Callable[[Organisation], None]) -> Callable[[Organisation], list[Any]]:
    """An act that changes the organisation alone (nothing else to save)."""

    def run(org: Organisation) -> list[Any]:
        act(org)
        return []

    return run


class OrgRegistry(UnitCommands):
    name = "OrgRegistry"
    aggregate_classes = (Organisation, HostUnit, Venue)

    # -- reading the tree ---------------------------------------------------------------
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
