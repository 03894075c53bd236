"""What org-registry's routes share: the application, dates, policy lookup, running commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar
from uuid import UUID

import anyio
from fastapi import Header, Query

from jiceng.api.concurrency import parse_if_match
from jiceng.api.types import Day
from jiceng.orgtree.queries import OrgNode
from jiceng.policy import Policy
from jiceng.runtime import ServiceRuntime
from org_registry.application import OrgRegistry
from org_registry.domain.types import OrgType

T = TypeVar("T")

IfMatch = Annotated[
    str | None, Header(description="ETag of the version the change is based on (optional)")
]
OnDate = Annotated[Day | None, Query(description="As of this date (default: today, Beijing)")]


def registry(runtime: ServiceRuntime) -> OrgRegistry:
    assert isinstance(runtime.log, OrgRegistry)
    return runtime.log


def expected_version(if_match: str | None) -> int | None:
    return parse_if_match(if_match)


async def policy_for(runtime: ServiceRuntime, node: OrgNode | None, on: date) -> Policy:
    """The pack in force for ``node`` on ``on``; the default pack for a new root."""
    if node is None:
        return runtime.orgtree.catalogue.in_force("national", on)
    return await runtime.orgtree.pack_in_force(node, on)


async def command(runtime: ServiceRuntime, act: Callable[[], tuple[T, int]]) -> T:
    """Run a command in a worker thread, then wait until this service's read models show it."""
    result, position = await anyio.to_thread.run_sync(act)
    await runtime.read_your_writes(position)
    return result


async def load(act: Callable[[], T]) -> T:
    return await anyio.to_thread.run_sync(act)


async def parent_type(runtime: ServiceRuntime, parent_id: UUID | None) -> OrgType | None:
    if parent_id is None:
        return None
    node = await runtime.orgtree.get(parent_id)
    return OrgType(node.org_type) if node else None
