"""Liveness, readiness (storage reachable, consumer lag) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from jiceng.api.deps import Runtime


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
