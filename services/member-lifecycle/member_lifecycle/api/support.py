"""What member-lifecycle's routes share: the command handlers, who reads whom, and a person
loaded for a read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID

import anyio
from fastapi import Depends, Request

from jiceng.api.deps import (
    WRITERS,
    CurrentPrincipal,
    event_meta,
    handlers,
    in_scope,
    require_roles,
)
from jiceng.auth.principal import Principal, Role
from jiceng.commands import Caller, log_of
from jiceng.errors import NotFound
from jiceng.runtime import ServiceRuntime
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.commands.handlers import MemberLifecycleHandlers
from member_lifecycle.domain.person import Person

#: The service's command handlers, built by its composition root.
Lifecycle = Annotated[MemberLifecycleHandlers, Depends(handlers(MemberLifecycleHandlers))]


def unversioned_caller(*roles: Role) -> Callable[..., Awaitable[Caller]]:
    """The caller of a command that records something anew or sets it whatever it was (a
    registration, a plan, counts, a holiday notice): there is no version to match, so the
    route takes no ``If-Match``."""
    has_role = require_roles(*roles)

    async def build(request: Request, principal: CurrentPrincipal) -> Caller:
        await has_role(principal)
        return Caller(principal, event_meta(request, principal))

    return build


#: The caller of such a command that changes an organisation's records.
NewRecordCaller = Annotated[Caller, Depends(unversioned_caller(*WRITERS))]


def lifecycle(runtime: ServiceRuntime) -> MemberLifecycle:
    """The service's log, for reads."""
    return log_of(runtime, MemberLifecycle)


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
