"""Commands on the tree: establish, rename, reaffiliate, merge, dissolve, restore, packs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from jiceng.auth.principal import Principal, Role
from jiceng.commands import Caller
from jiceng.errors import Conflict, Forbidden
from jiceng.membercounts.queries import own_members
from org_registry.commands.base import RegistryHandlers, changed
from org_registry.domain.organisation import Organisation
from org_registry.domain.types import OrgDomain, OrgType


@dataclass(frozen=True)
class EstablishOrganisation:
    """成立党组织 under ``parent_id`` (a top-level one, by a platform admin, when ``None``)."""

    name: str
    org_type: OrgType
    domain: OrgDomain
    parent_id: UUID | None = None
    established_on: date | None = None
    short_name: str | None = None
    code: str | None = None
    region_code: str | None = None
    student_branch: bool = False


@dataclass(frozen=True)
class RenameOrganisation:
    org_id: UUID
    name: str
    short_name: str | None = None


@dataclass(frozen=True)
class ReaffiliateOrganisation:
    org_id: UUID
    parent_id: UUID


@dataclass(frozen=True)
class MergeOrganisation:
    org_id: UUID
    into_id: UUID
    merged_on: date


@dataclass(frozen=True)
class DissolveOrganisation:
    org_id: UUID
    dissolved_on: date


@dataclass(frozen=True)
class RestoreOrganisation:
    org_id: UUID
    restored_on: date


@dataclass(frozen=True)
class AssignPolicyPack:
    org_id: UUID
    pack_id: str
    effective_from: date


class OrganisationHandlers(RegistryHandlers):
    async def organisation(self, principal: Principal, org_id: UUID) -> Organisation:
        """The organisation, if the principal may see it (a query: nothing is recorded)."""
        await self.visible(principal, org_id)
        return await self.read(lambda: self.log.organisation(org_id))

    async def establish_organisation(
        self, command: EstablishOrganisation, caller: Caller
    ) -> Organisation:
        parent = None
        if command.parent_id is None:
            if not caller.principal.has_any(Role.PLATFORM_ADMIN):
                raise Forbidden("organisation.root_needs_platform_admin")
        else:
            parent = await self.visible(caller, command.parent_id)
        if command.code and await self.orgtree.codes_in_use([command.code]):
            # One organisation per code, platform-wide; where the other one is is not said.
            raise Conflict("organisation.code_taken", code=command.code)
        policy = await self.rules_on(parent, command.established_on or self.today)

        def make() -> tuple[Organisation, list[Aggregate]]:
            parent_org = self.log.organisation(command.parent_id) if command.parent_id else None
            org = Organisation.establish(
                policy=policy,
                name=command.name,
                org_type=command.org_type,
                domain=command.domain,
                parent=parent_org,
                established_on=command.established_on,
                short_name=command.short_name,
                code=command.code,
                region_code=command.region_code,
                student_branch=command.student_branch,
            )
            return org, changed(parent_org)

        return await self.create(caller, make, pack=policy)

    async def rename_organisation(
        self, command: RenameOrganisation, caller: Caller
    ) -> Organisation:
        await self.visible(caller, command.org_id)
        return await self.change(
            caller,
            lambda: self.log.organisation(command.org_id),
            lambda org: org.rename(command.name, command.short_name),
        )

    async def reaffiliate_organisation(
        self, command: ReaffiliateOrganisation, caller: Caller
    ) -> Organisation:
        await self.visible(caller, command.org_id)
        parent = await self.visible(caller, command.parent_id)
        policy = await self.rules_on(parent, self.today)

        def act(org: Organisation) -> list[Aggregate]:
            new_parent = self.log.organisation(command.parent_id)
            old_parent = self.log.parent_of(org)
            org.reaffiliate(policy, new_parent, old_parent, self.log.ancestor_ids(new_parent))
            return changed(old_parent, new_parent)

        return await self.change(
            caller, lambda: self.log.organisation(command.org_id), act, pack=policy
        )

    async def merge_organisation(self, command: MergeOrganisation, caller: Caller) -> Organisation:
        await self.visible(caller, command.org_id)
        target_node = await self.visible(caller, command.into_id)
        policy = await self.rules_on(target_node, command.merged_on)

        def act(org: Organisation) -> list[Aggregate]:
            target = self.log.organisation(command.into_id)
            children = [self.log.organisation(child) for child in sorted(org.children)]
            parent = self.log.parent_of(org)
            ancestors = self.log.ancestor_ids(target)
            org.merge_into(policy, target, ancestors, children, parent, command.merged_on)
            return changed(target, parent, *children)

        return await self.change(
            caller, lambda: self.log.organisation(command.org_id), act, pack=policy
        )

    async def dissolve_organisation(
        self, command: DissolveOrganisation, caller: Caller
    ) -> Organisation:
        await self.visible(caller, command.org_id)
        members = await self._members_of(command.org_id)

        def act(org: Organisation) -> list[Aggregate]:
            parent = self.log.parent_of(org)
            org.dissolve(command.dissolved_on, members, parent)
            return changed(parent)

        return await self.change(caller, lambda: self.log.organisation(command.org_id), act)

    async def restore_organisation(
        self, command: RestoreOrganisation, caller: Caller
    ) -> Organisation:
        await self.visible(caller, command.org_id)

        def act(org: Organisation) -> list[Aggregate]:
            parent = self.log.parent_of(org)
            org.restore(command.restored_on, parent)
            return changed(parent)

        return await self.change(caller, lambda: self.log.organisation(command.org_id), act)

    async def assign_policy_pack(self, command: AssignPolicyPack, caller: Caller) -> Organisation:
        await self.visible(caller, command.org_id)
        # The pack assigned is the one the event names (an unknown pack is refused here).
        assigned = self.runtime.catalogue.policy(command.pack_id)
        return await self.change(
            caller,
            lambda: self.log.organisation(command.org_id),
            lambda org: org.assign_policy_pack(assigned.pack, command.effective_from),
            pack=assigned,
        )

    async def _members_of(self, org_id: UUID) -> int:
        """Members member-lifecycle has counted in the organisation (0 when never counted)."""
        async with self.runtime.db.engine.connect() as conn:
            return await own_members(conn, str(org_id))
