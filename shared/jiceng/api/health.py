"""Liveness, readiness (storage reachable, consumer lag) and Prometheus metrics."""

from __future__ import annotations

import contextlib
from typing import Any

import anyio
from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from jiceng.api.deps import Runtime
from jiceng.followers.dead_letters import count_dead_letters
from jiceng.followers.follower import Follower


async def _follower_view(follower: Follower, own_head: int | None) -> dict[str, Any]:
    """A follower as this process sees it; one applied by another process (followers apart,
    or this one on standby) is shown at its stored position, against the log's real head."""
    status = follower.status
    position, state, head = status.position, status.state, status.head
    dead = status.dead_letters
    if not follower.active:
        with contextlib.suppress(Exception):
            position = max(position, await follower.peek_position())
            dead = await count_dead_letters(follower.db, follower.name)
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
    async def readyz(runtime: Runtime, response: Response) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        ready = True
        try:
            checks["event_log_head"] = await anyio.to_thread.run_sync(runtime.log.head)
        except Exception as error:
            ready = False
            checks["event_log"] = f"unreachable: {type(error).__name__}"
        try:
            await runtime.db.ping()
            checks["read_models"] = "ok"
        except Exception as error:
            ready = False
            checks["read_models"] = f"unreachable: {type(error).__name__}"
        own_head = checks.get("event_log_head")
        consumers = {
            c.name: await _follower_view(c, own_head if c.source.upstream == runtime.name else None)
            for c in runtime.followers.values()
        }
        # A follower failing or retrying, or an event set aside: working, but not whole.
        degraded = any(
            c["state"] in ("disconnected", "failing", "retrying") or c["dead_letters"]
            for c in consumers.values()
        )
        if not ready:
            response.status_code = 503
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
