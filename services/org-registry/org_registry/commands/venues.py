"""Commands on activity venues (阵地): registering one, correcting it, rating it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from jiceng.auth.principal import Principal
from jiceng.commands import Caller
from jiceng.orgtree.queries import OrgNode
from org_registry.commands.base import RegistryHandlers
from org_registry.domain.types import VenueGrade
from org_registry.domain.venue import Venue


@dataclass(frozen=True)
class RegisterVenue:
    org_id: UUID
    name: str
    area_m2: Decimal
    households_served: int
    #: the 六有 checklist: which of the six a venue has
    checklist: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class UpdateVenue:
    """Correct a venue's area, households served and 六有 checklist."""

    venue_id: UUID
    area_m2: Decimal
    households_served: int
    checklist: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class RateVenue:
    """Rate a venue after inspection (一类/二类/三类)."""

    venue_id: UUID
    grade: VenueGrade
    inspected_on: date
    inspector: str


class VenueHandlers(RegistryHandlers):
    async def venue(self, principal: Principal, venue_id: UUID) -> Venue:
        """The venue, if the principal may see its organisation (a query)."""
        return (await self._visible_venue(principal, venue_id))[0]

    async def register_venue(self, command: RegisterVenue, caller: Caller) -> Venue:
        await self.visible(caller, command.org_id)

        def make() -> Venue:
            self.log.organisation(command.org_id).check_active()
            return Venue.register(
                org_id=command.org_id,
                name=command.name,
                area_m2=command.area_m2,
                households_served=command.households_served,
                checklist=command.checklist,
            )

        return await self.create(caller, make)

    async def update_venue(self, command: UpdateVenue, caller: Caller) -> Venue:
        await self._visible_venue(caller.principal, command.venue_id)
        return await self.change(
            caller,
            lambda: self.log.venue(command.venue_id),
            lambda venue: venue.update(
                command.area_m2, command.households_served, command.checklist
            ),
        )

    async def rate_venue(self, command: RateVenue, caller: Caller) -> Venue:
        _, node = await self._visible_venue(caller.principal, command.venue_id)
        policy = await self.rules_on(node, command.inspected_on)
        return await self.change(
            caller,
            lambda: self.log.venue(command.venue_id),
            lambda venue: venue.rate(
                policy, command.grade, command.inspected_on, command.inspector
            ),
            pack=policy,
        )

    async def _visible_venue(self, principal: Principal, venue_id: UUID) -> tuple[Venue, OrgNode]:
        venue = await self.read(lambda: self.log.venue(venue_id))
        node = await self.visible(principal, venue.org_id, resource="venue", resource_id=venue_id)
        return venue, node
