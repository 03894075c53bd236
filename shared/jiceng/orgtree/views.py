"""How an organisation of the tree copy appears in any service's API."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from jiceng.orgtree.queries import OrgNode


class OrgNodeView(BaseModel):
    id: UUID
    name: str
    org_type: str
    domain: str | None
    parent_id: UUID | None
    depth: int
    version: int

    @classmethod
    def of(cls, node: OrgNode) -> OrgNodeView:
        return cls(
            id=node.id,
            name=node.name,
            org_type=node.org_type,
            domain=node.domain,
            parent_id=node.parent_id,
            depth=node.depth,
            version=node.version,
        )
