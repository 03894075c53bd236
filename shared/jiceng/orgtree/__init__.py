"""Each service's own copy of the organisation tree, followed from org-registry's feed.

Scope checks ("is this organisation inside the caller's subtree?") read this copy, so no
request needs a call to another service.
"""

from jiceng.orgtree.projection import OrgTreeProjection, org_nodes
from jiceng.orgtree.queries import OrgNode, OrgTree

__all__ = ["OrgNode", "OrgTree", "OrgTreeProjection", "org_nodes"]
