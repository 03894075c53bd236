"""Commands on host units (两新组织): registering one, its members, how it is covered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from jiceng.auth.principal import Principal
from jiceng.commands import Caller
from jiceng.errors import Conflict, StaleVersion
from jiceng.ids import normalise_uscc
from jiceng.orgtree.queries import OrgNode
from org_registry.commands.base import RegistryHandlers
from org_registry.domain.host_unit import HostUnit
from org_registry.domain.types import CoverageKind, UnitType


@dataclass(frozen=True)
class RegisterHostUnit:
    """A unit (单位) under the organisation that manages its Party work."""

    name: str
    credit_code: str
    unit_type: UnitType
    employees: int
    region_code: str
    managing_org_id: UUID


@dataclass(frozen=True)
class RecordUnitMembers:
    unit_id: UUID
    formal: int
    total: int
    as_of: date


@dataclass(frozen=True)
class CoverHostUnit:
    """How the unit is covered: its own organisation, a joint one, or an instructor."""

    unit_id: UUID
    kind: CoverageKind
    covered_on: date
    org_id: UUID | None = None
    instructor: str | None = None


class HostUnitHandlers(RegistryHandlers):
    async def host_unit(self, principal: Principal, unit_id: UUID) -> HostUnit:
        """The unit, if the principal may see the organisation managing it (a query)."""
        return (await self._visible_unit(principal, unit_id))[0]

    async def register_host_unit(self, command: RegisterHostUnit, caller: Caller) -> HostUnit:
        await self.visible(caller, command.managing_org_id)
        code = normalise_uscc(command.credit_code)

        def make() -> HostUnit:
            self.log.organisation(command.managing_org_id).check_active()
            return HostUnit.register(
                name=command.name,
                credit_code=code,
                unit_type=command.unit_type,
                employees=command.employees,
                region_code=command.region_code,
                managing_org_id=command.managing_org_id,
            )

        try:
            return await self.create(caller, make)
        except StaleVersion as error:  # the id derives from the credit code
            raise Conflict("host_unit.duplicate_credit_code", credit_code=code) from error

    async def record_unit_members(self, command: RecordUnitMembers, caller: Caller) -> HostUnit:
        _, node = await self._visible_unit(caller.principal, command.unit_id)
        policy = await self.rules_on(node, command.as_of)
        return await self.change(
            caller,
            lambda: self.log.host_unit(command.unit_id),
            lambda unit: unit.record_members(policy, command.formal, command.total, command.as_of),
            pack=policy,
        )

    async def cover_host_unit(self, command: CoverHostUnit, caller: Caller) -> HostUnit:
        await self._visible_unit(caller.principal, command.unit_id)
        if command.org_id is not None:
            await self.visible(caller, command.org_id)

        def act(unit: HostUnit) -> None:
            org_type = None
            if command.org_id is not None:
                org = self.log.organisation(command.org_id)
                org.check_active()
                org_type = org.org_type.value
            unit.cover(
                command.kind,
                command.covered_on,
                org_id=command.org_id,
                org_type=org_type,
                instructor=command.instructor,
            )

        return await self.change(caller, lambda: self.log.host_unit(command.unit_id), act)

    async def _visible_unit(self, principal: Principal, unit_id: UUID) -> tuple[HostUnit, OrgNode]:
        unit = await self.read(lambda: self.log.host_unit(unit_id))
        node = await self.visible(
            principal, unit.managing_org_id, resource="host_unit", resource_id=unit_id
        )
        return unit, node
