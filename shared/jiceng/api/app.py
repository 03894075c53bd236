"""The FastAPI application of a service, with the conventions every service shares."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from jiceng.api import audit, consumers, feed
from jiceng.api.freshness import FreshnessMiddleware
from jiceng.api.health import health_router
from jiceng.api.idempotency import IdempotencyMiddleware, IdempotencyStore
from jiceng.api.input_guard import InputGuardMiddleware
from jiceng.api.observability import RequestContextMiddleware
from jiceng.api.problems import BODY_ERRORS, Problem, error_responses, install_problem_handlers
from jiceng.runtime import ServiceRuntime


def _operation_id(route: APIRoute) -> str:
    # Route names are chosen by hand and unique per service: stable operationIds.
    return route.name


def create_api(
    runtime: ServiceRuntime,
    routers: Sequence[APIRouter],
    *,
    title: str,
    description: str,
    run_consumers: bool | None = None,
) -> FastAPI:
    prefix = f"/{runtime.name}"

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start(run_consumers=run_consumers)
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title,
        description=description,
        version="1",
        docs_url=f"{prefix}/docs",
        openapi_url=f"{prefix}/openapi.json",
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
        telemetry=runtime.tracing.fastapi_telemetry(),
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    app.include_router(health_router(include_in_schema=False))
    if runtime.settings.probes_under_prefix:
        app.include_router(health_router(include_in_schema=True), prefix=prefix)
    app.include_router(feed.router, prefix=f"{prefix}/v1")
    app.include_router(consumers.router, prefix=f"{prefix}/v1")
    app.include_router(audit.router, prefix=f"{prefix}/v1")
    for router in routers:
        app.include_router(router, prefix=f"{prefix}/v1")
    app.add_middleware(
        IdempotencyMiddleware, store=IdempotencyStore(runtime.log), tokens=runtime.tokens
    )
    app.add_middleware(FreshnessMiddleware)
    if runtime.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=runtime.settings.cors_origins,
            # Every method a route may use (PUT for development plans, for one).
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "Accept-Language",
                "X-Request-ID",
                "X-Correlation-ID",
            ],
            expose_headers=["ETag", "Location", "X-Request-ID", "Idempotent-Replayed"],
        )
    app.add_middleware(InputGuardMiddleware)
    app.add_middleware(RequestContextMiddleware, metrics=runtime.metrics)
    _register_problem_schema(app)
    return app


def _register_problem_schema(app: FastAPI) -> None:
    """Make ``#/components/schemas/Problem`` exist even before any route uses the model, and
    document on each operation the problems every route can answer (a body too large on
    those with a body)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        schemas.setdefault("Problem", Problem.model_json_schema())
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                # Any request may arrive with bytes that are not UTF-8 (400) or a control
                # character in its path or query (422): the input guard answers those.
                statuses = [400, 422]
                if "requestBody" in operation:
                    statuses += BODY_ERRORS
                for status, entry in error_responses(*statuses).items():
                    plain = {k: v for k, v in entry.items() if k != "model"}
                    responses.setdefault(str(status), plain)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
