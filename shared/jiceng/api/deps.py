"""Dependencies routes declare: the runtime, the principal, role and scope checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from jiceng import scope
from jiceng.api.concurrency import parse_if_match
from jiceng.auth.principal import Principal, Role
from jiceng.commands import Caller
from jiceng.errors import Forbidden
from jiceng.eventlog.meta import EventMeta
from jiceng.orgtree.queries import OrgNode
from jiceng.runtime import ServiceRuntime


def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


Runtime = Annotated[ServiceRuntime, Depends(get_runtime)]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="A JWT (`jiceng token`) or a machine client's API key",
)


async def authenticate(
    request: Request,
    runtime: Runtime,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Principal:
    verified = getattr(request.state, "principal", None)
    if isinstance(verified, Principal):  # by the idempotency middleware, from these headers
        return verified
    authorization = request.headers.get("authorization") if credentials else None
    principal = await runtime.tokens.authenticate_async(authorization, x_api_key)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting principals holding any of ``roles``."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any(*roles):
            raise Forbidden("auth.forbidden_role", required=", ".join(r.value for r in roles))
        return principal

    return check


def require_unscoped(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting principals holding any of ``roles`` and limited to no subtree.

    The feed, dead letters and consumer positions carry every organisation's events: a
    machine client scoped to one subtree is refused them (403) rather than served a filtered
    copy, so that what a feed reader holds is always the whole log an auditor can verify.
    """
    has_role = require_roles(*roles)

    async def check(principal: CurrentPrincipal) -> Principal:
        await has_role(principal)
        if not principal.sees_everything:
            raise Forbidden("auth.scoped_principal_refused", org=str(principal.org))
        return principal

    return check


WRITERS = (Role.ORG_ADMIN, Role.PLATFORM_ADMIN)
FEED_READERS = (Role.AUDITOR, Role.SYSTEM, Role.PLATFORM_ADMIN)
Writer = Annotated[Principal, Depends(require_roles(*WRITERS))]
FeedReader = Annotated[Principal, Depends(require_unscoped(*FEED_READERS))]


async def visible_org(runtime: ServiceRuntime, principal: Principal, org_id: UUID) -> OrgNode:
    """The organisation, if it lies in the principal's subtree; 404 otherwise (never say which)."""
    return await scope.visible_org(runtime.orgtree, principal, org_id)


async def visible_owner(
    runtime: ServiceRuntime, principal: Principal, org_id: UUID, resource: str, resource_id: UUID
) -> OrgNode:
    """The organisation owning a resource, if the principal may see it (see :mod:`jiceng.scope`)."""
    return await scope.visible_owner(runtime.orgtree, principal, org_id, resource, resource_id)


async def in_scope(runtime: ServiceRuntime, principal: Principal, node: OrgNode) -> bool:
    return await scope.in_scope(runtime.orgtree, principal, node)


async def above_scope(runtime: ServiceRuntime, principal: Principal, node: OrgNode) -> bool:
    return await scope.above_scope(runtime.orgtree, principal, node)


def event_meta(request: Request, principal: Principal, reason: str | None = None) -> EventMeta:
    """Attribution of the events a request causes: who, why, and the request that caused them."""
    request_id = getattr(request.state, "request_id", None) or "unknown"
    correlation = request.headers.get("x-correlation-id", "").strip()[:100] or request_id
    return EventMeta(
        actor=principal.actor,
        reason=reason,
        correlation_id=correlation,
        causation_id=f"request:{request_id}",
        traceparent=getattr(request.state, "traceparent", None),
    )


IfMatch = Annotated[
    str | None, Header(description="ETag of the version the command is based on (optional)")
]


def caller_with(*roles: Role) -> Callable[..., Awaitable[Caller]]:
    """A dependency giving a command's :class:`Caller`: a principal holding one of ``roles``,
    the attribution of the request, and the version ``If-Match`` names."""
    has_role = require_roles(*roles)

    async def build(
        request: Request, principal: CurrentPrincipal, if_match: IfMatch = None
    ) -> Caller:
        await has_role(principal)
        return Caller(principal, event_meta(request, principal), parse_if_match(if_match))

    return build


#: The caller of a command that changes an organisation's records (org admins in scope,
#: platform admins).
CommandCaller = Annotated[Caller, Depends(caller_with(*WRITERS))]

H = TypeVar("H")


def handlers(kind: type[H]) -> Callable[[Request], H]:
    """A dependency giving the service's command handlers, built by its composition root."""

    def get(request: Request) -> H:
        found: Any = request.app.state.handlers
        if not isinstance(found, kind):  # pragma: no cover - a composition root's mistake
            msg = f"this service's handlers are {type(found).__name__}, not {kind.__name__}"
            raise TypeError(msg)
        return found

    return get
