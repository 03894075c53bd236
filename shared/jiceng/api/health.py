"""Liveness, readiness (storage reachable, consumer lag) and Prometheus metrics."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from jiceng.api.deps import Runtime
from jiceng.api.probes import Readiness
from jiceng.outage import RETRY_AFTER_SECONDS


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
        consumers = {
            c.name: {
                "state": c.status.state,
                "position": c.status.position,
                "head": c.status.head,
                "lag": c.status.lag,
                "dead_letters": c.status.dead_letters,
                "last_error": c.status.last_error,
            }
            for c in runtime.followers.values()
        }
        degraded = any(c["state"] in ("disconnected", "failing") for c in consumers.values())
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
