"""``jiceng follow <service>``: a service's followers and reactions without its API.

Several may run: each subscription is applied by one process at a time (the others stand by
and take over within seconds when it dies), and the periodic audit checkpoint is signed by
the one holding its lock. The process answers ``/healthz``, ``/readyz`` and ``/metrics`` on
its own port for the orchestrator, and nothing else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from jiceng.api.health import health_router
from jiceng.api.observability import configure_logging
from jiceng.registry import definition, port_of
from jiceng.settings import Settings

#: Followers answer health checks on the service's port plus this.
PORT_OFFSET = 100


def follower_app(settings: Settings, service: str) -> FastAPI:
    runtime = definition(service).build_runtime(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start(run_consumers=True)
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(title=f"{service} followers", lifespan=lifespan, openapi_url=None)
    app.state.runtime = runtime
    app.include_router(health_router(include_in_schema=False))
    return app


def follow(settings: Settings, service: str, port: int | None = None) -> None:
    configure_logging(f"{service}-followers", settings.log_level, json_lines=settings.log_json)
    config = uvicorn.Config(
        follower_app(settings, service),
        host=settings.host,
        port=port or port_of(settings, service) + PORT_OFFSET,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run()
