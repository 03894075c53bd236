"""What member-lifecycle's routes share: the application, today, the rules in force,
the approving committee, and running a command on a person."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import anyio
from fastapi import Depends, Header, Request, Response

from jiceng.api.concurrency import etag, parse_if_match
from jiceng.api.deps import above_scope, event_meta, in_scope, require_roles, visible_owner
from jiceng.auth.principal import Principal, Role
from jiceng.calendar import today
from jiceng.errors import InvalidInput, NotFound
from jiceng.orgtree.queries import OrgNode
from jiceng.personal import sealer_for
from jiceng.runtime import ServiceRuntime
from jiceng.workingdays.queries import working_day_calendar
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.development import Approver, approval_power
from member_lifecycle.domain.person import Person

IfMatch = Annotated[
    str | None, Header(description="ETag of the version the command is based on (optional)")
]


def lifecycle(runtime: ServiceRuntime) -> MemberLifecycle:
    assert isinstance(runtime.log, MemberLifecycle)
    return runtime.log


#: Who reads people other than themselves (a ``member`` reads only their own record).
STAFF = (Role.ORG_ADMIN, Role.AUDITOR, Role.SYSTEM, Role.PLATFORM_ADMIN)
Staff = Annotated[Principal, Depends(require_roles(*STAFF))]


def is_self(principal: Principal, person_id: UUID) -> bool:
    """A member's token names their person id as its subject (党员本人)."""
    return principal.subject == str(person_id)


async def load_person(runtime: ServiceRuntime, principal: Principal, person_id: UUID) -> Person:
    """The person, for staff whose subtree holds their branch, or for the person themself.

    Anyone else gets the same 404 as for a person who does not exist.
    """
    person = await anyio.to_thread.run_sync(lambda: lifecycle(runtime).person(person_id))
    if is_self(principal, person_id) or await person_in_scope(runtime, principal, person):
        return person
    raise NotFound("resource.not_found", resource="person", id=str(person_id))


async def person_in_scope(runtime: ServiceRuntime, principal: Principal, person: Person) -> bool:
    """Staff whose subtree holds the person's branch (a pending transfer's destination too)."""
    if not principal.has_any(*STAFF):
        return False
    node = await runtime.orgtree.get(person.branch_id)
    if node is not None and await in_scope(runtime, principal, node):
        return True
    if person.transfer is not None:
        target = await runtime.orgtree.get(UUID(person.transfer["to_id"]))
        return target is not None and await in_scope(runtime, principal, target)
    return False


async def rules_for(runtime: ServiceRuntime, branch: OrgNode, on: date) -> Rules:
    """The pack in force for the branch on the step's date, the calendar, and today."""
    policy = await runtime.orgtree.pack_in_force(branch, on)
    calendar = await working_day_calendar(runtime.db)
    return Rules(policy, calendar, today(), sealer_for(runtime.settings))


async def branch_of(runtime: ServiceRuntime, person: Person) -> OrgNode:
    node = await runtime.orgtree.get(person.branch_id)
    if node is None:  # pragma: no cover - the scope check found it
        raise InvalidInput("person.branch_unknown", id=str(person.branch_id))
    return node


async def approver_for(
    runtime: ServiceRuntime, principal: Principal, branch: OrgNode, org_id: UUID
) -> Approver:
    """The approving committee as the tree shows it. One the caller cannot see (neither in
    its subtree, nor above it or above the branch) is unknown: its name is not told."""
    node = await runtime.orgtree.get(org_id)
    visible = node is not None and (
        branch.is_within(node.path)
        or await in_scope(runtime, principal, node)
        or await above_scope(runtime, principal, node)
    )
    if node is None or not visible:
        raise InvalidInput("development.approver_unknown", id=str(org_id))
    parent = await runtime.orgtree.get(node.parent_id) if node.parent_id else None
    return approval_power(
        node.id,
        node.name,
        node.org_type,
        node.domain,
        (parent.org_type, parent.domain) if parent else None,
        above_branch=branch.is_within(node.path) and node.id != branch.id,
    )


async def command_on_person(
    runtime: ServiceRuntime,
    request: Request,
    response: Response,
    principal: Principal,
    person_id: UUID,
    on: date,
    command: Callable[[Person, Rules, Any], None],
    *,
    reason: str | None,
    if_match: str | None,
    prepare: Callable[[Person], Awaitable[Any]] | None = None,
    receiving: bool = False,
) -> Person:
    """A command on a person, the way every route runs one.

    The caller's scope is checked on the person's branch (on a pending transfer's
    destination when ``receiving``); ``prepare`` gathers what the command needs from the
    read models; the pack in force for the branch on ``on`` decides and is named in the
    event. The person loaded here is the one saved: a concurrent change answers 409.
    """
    app = lifecycle(runtime)
    person = await anyio.to_thread.run_sync(lambda: app.person(person_id))
    # Out of sight reads as a person who does not exist: never name their branch.
    if receiving and person.transfer is not None:
        await visible_owner(runtime, principal, UUID(person.transfer["to_id"]), "person", person_id)
        branch = await branch_of(runtime, person)
    else:
        branch = await visible_owner(runtime, principal, person.branch_id, "person", person_id)
    prepared = await prepare(person) if prepare is not None else None
    rules = await rules_for(runtime, branch, on)
    meta = event_meta(request, principal, reason).with_pack(rules.policy.ref)
    person, position = await anyio.to_thread.run_sync(
        lambda: app.act(
            person,
            lambda p: command(p, rules, prepared),
            meta=meta,
            expected_version=parse_if_match(if_match),
        )
    )
    await runtime.read_your_writes(position)
    response.headers["ETag"] = etag(person.version)
    return person
