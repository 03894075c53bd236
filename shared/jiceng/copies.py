"""Copies of another service's data that a service keeps, each with one home in the kernel.

A copy is a contract (the producer's typed payloads), a projection into this service's
read-model database, and queries, under ``jiceng/<copy>/``. A service declares the copies it
needs (``ServiceDefinition(copies=[...])``) and the runtime follows the upstream feeds; every
service keeps the org tree, which scope checks and the packs in force read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jiceng.membercounts import contract as membercounts_contract
from jiceng.membercounts.projection import MemberCountsProjection
from jiceng.orgtree import contract as orgtree_contract
from jiceng.orgtree.projection import OrgTreeProjection
from jiceng.readmodel.projection import Projection
from jiceng.workingdays import contract as workingdays_contract
from jiceng.workingdays.projection import CalendarNoticesProjection


@dataclass(frozen=True)
class Copy:
    """Another service's data kept here: whose feed, folded by which projection."""

    upstream: str
    projection: Callable[[], Projection]


#: 组织树: organisations, their places, types and packs (org-registry).
ORG_TREE = Copy(orgtree_contract.STREAM, OrgTreeProjection)
#: 党员人数: each organisation's own member counts (member-lifecycle).
MEMBER_COUNTS = Copy(membercounts_contract.STREAM, MemberCountsProjection)
#: 放假通知: the working-day calendar's recorded notices (member-lifecycle).
WORKING_DAYS = Copy(workingdays_contract.STREAM, CalendarNoticesProjection)
