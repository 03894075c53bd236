"""Liveness, readiness (storage reachable, consumer lag) and Prometheus metrics."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from jiceng.api.deps import Runtime
from jiceng.api.probes import Readiness
from jiceng.followers.dead_letters import count_dead_letters
from jiceng.followers.follower import Follower
from jiceng.outage import RETRY_AFTER_SECONDS

#: How long readiness waits for the stored position of a follower applied elsewhere.
PEEK_SECONDS = 0.5


def readiness_of(request: Request, runtime: Runtime) -> Readiness:
    """The app's storage checks (one set per app, so that their single flights are shared)."""
    found = getattr(request.app.state, "readiness", None)
    if not isinstance(found, Readiness) or found.runtime is not runtime:
        found = request.app.state.readiness = Readiness(runtime)
    return found


def _unreachable(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "unreachable: no answer within the readiness timeout"
    return f"unreachable: {type(error).__name__}"


async def _follower_view(
    follower: Follower, own_head: int | None, storage_up: bool
) -> dict[str, Any]:
    """A follower as this process sees it; one applied by another process (followers apart,
    or this one on standby) is shown at its stored position, against the log's real head."""
    status = follower.status
    position, state, head = status.position, status.state, status.head
    dead = status.dead_letters
    if not follower.active:
        if storage_up:
            with contextlib.suppress(Exception):
                position = max(
                    position, await asyncio.wait_for(follower.peek_position(), PEEK_SECONDS)
                )
                dead = await asyncio.wait_for(
                    count_dead_letters(follower.db, follower.name), PEEK_SECONDS
                )
        if not follower.running:
            state = "elsewhere"
    if own_head is not None:
        head = max(head, own_head)
    return {
        "state": state,
        "position": position,
        "head": head,
        "lag": max(head - position, 0),
        "dead_letters": dead,
        "last_error": status.last_error,
    }


async def follower_views(
    runtime: Runtime, own_head: int | None, storage_up: bool
) -> dict[str, Any]:
    """Every follower's view, within one readiness budget (else as this process knows it)."""
    followers = list(runtime.followers.values())

    async def views(peek: bool) -> list[dict[str, Any]]:
        return list(
            await asyncio.gather(
                *(
                    _follower_view(c, own_head if c.source.upstream == runtime.name else None, peek)
                    for c in followers
                )
            )
        )

    try:
        found = await asyncio.wait_for(views(storage_up), PEEK_SECONDS * 2)
    except TimeoutError:
        found = await views(False)
    return {c.name: view for c, view in zip(followers, found, strict=True)}


def health_router(include_in_schema: bool) -> APIRouter:
    router = APIRouter(tags=["health"], include_in_schema=include_in_schema)
    suffix = "" if include_in_schema else "_root"

    @router.get("/healthz", name=f"liveness{suffix}", summary="Liveness: the process answers")
    async def healthz(runtime: Runtime) -> dict[str, str]:
        return {"status": "ok", "service": runtime.name}

    @router.get(
        "/readyz",
        name=f"readiness{suffix}",
        summary="Readiness: storage reachable; consumer positions and lag",
        responses={503: {"description": "Storage unreachable"}},
    )
    async def readyz(request: Request, runtime: Runtime, response: Response) -> dict[str, Any]:
        # Each check answers within the readiness timeout, whatever storage does.
        readiness = readiness_of(request, runtime)
        head, ping = await asyncio.gather(
            readiness.head(), readiness.ping(), return_exceptions=True
        )
        checks: dict[str, Any] = {}
        if isinstance(head, BaseException):
            checks["event_log"] = _unreachable(head)
        else:
            checks["event_log_head"] = head
        checks["read_models"] = _unreachable(ping) if isinstance(ping, BaseException) else "ok"
        ready = not isinstance(head, BaseException) and not isinstance(ping, BaseException)
        own_head = checks.get("event_log_head")
        consumers = await follower_views(runtime, own_head, ready)
        # A follower failing or retrying, or an event set aside: working, but not whole.
        degraded = any(
            c["state"] in ("disconnected", "failing", "retrying") or c["dead_letters"]
            for c in consumers.values()
        )
        if not ready:
            response.status_code = 503
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return {
            "status": "ready" if ready else "unavailable",
            "degraded": degraded,
            "service": runtime.name,
            "storage": runtime.storage.describe(),
            "checks": checks,
            "consumers": consumers,
        }

    @router.get(
        "/metrics",
        name=f"metrics{suffix}",
        summary="Prometheus metrics (text exposition format)",
        response_class=PlainTextResponse,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    async def metrics(runtime: Runtime) -> Response:
        return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router
