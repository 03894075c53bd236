"""Who may see which organisation: a principal's subtree, read from the org-tree copy.

Out of scope reads exactly like missing (404), never naming the owner of what was asked for.
"""

from __future__ import annotations

from uuid import UUID

from jiceng.auth.principal import Principal, Role
from jiceng.errors import NotFound
from jiceng.orgtree.queries import OrgNode, OrgTree

#: Roles whose ``org`` claim limits them to a subtree (a member's only ever to themself).
SCOPED_ROLES = (Role.ORG_ADMIN, Role.SYSTEM)


async def in_scope(orgtree: OrgTree, principal: Principal, node: OrgNode) -> bool:
    if principal.sees_everything:
        return True
    if principal.org is None or not principal.has_any(*SCOPED_ROLES):
        # A member token reads its own record only, whatever ``org`` claim it carries.
        return False
    if principal.org == node.id:
        return True
    scope_root = await orgtree.get(principal.org)
    return scope_root is not None and node.is_within(scope_root.path)


async def above_scope(orgtree: OrgTree, principal: Principal, node: OrgNode) -> bool:
    """Whether ``node`` is one of the committees above the principal's subtree (whose names
    the principal reads on the ancestors of its own organisations)."""
    if principal.org is None or not principal.has_any(*SCOPED_ROLES):
        return False
    scope_root = await orgtree.get(principal.org)
    return scope_root is not None and scope_root.is_within(node.path)


async def visible_org(orgtree: OrgTree, principal: Principal, org_id: UUID) -> OrgNode:
    """The organisation, if it lies in the principal's subtree; 404 otherwise (never say which)."""
    node = await orgtree.get(org_id)
    if node is not None and await in_scope(orgtree, principal, node):
        return node
    raise NotFound("resource.not_found", resource="organisation", id=str(org_id))


async def visible_owner(
    orgtree: OrgTree, principal: Principal, org_id: UUID, resource: str, resource_id: UUID
) -> OrgNode:
    """The organisation owning a resource (a host unit, a venue, a person's branch), if the
    principal may see it; otherwise the 404 names the resource asked for, exactly as for one
    that does not exist, and never its owner."""
    try:
        return await visible_org(orgtree, principal, org_id)
    except NotFound:
        raise NotFound("resource.not_found", resource=resource, id=str(resource_id)) from None
