"""On PostgreSQL a command's trace holds both kinds of statement: the event store's (psycopg,
in a worker thread) and the read models' (asyncpg), each beneath the request's span."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from jiceng.auth.tokens import TokenService
from jiceng.settings import Settings
from jiceng.tracing.otel import OtelTracing
from support import TODAY, Api

pytestmark = pytest.mark.postgres


@pytest.fixture
async def traced_org(
    settings: Settings, postgres_url: str, pg_schema_prefix: str
) -> AsyncIterator[tuple[Api, InMemorySpanExporter]]:
    from org_registry.bootstrap import create_app

    on_postgres = settings.model_copy(
        update={"database_url": postgres_url, "schema_prefix": pg_schema_prefix}
    )
    spans = InMemorySpanExporter()
    tracing = OtelTracing.exporting_to("org-registry", spans)
    app = create_app(on_postgres, clock=lambda: TODAY, tracing=tracing)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, app.state.runtime, TokenService(on_postgres)), spans


async def test_the_event_store_and_the_read_models_show_under_the_request(
    traced_org: tuple[Api, InMemorySpanExporter],
) -> None:
    api, spans = traced_org
    await api.establish("党委")
    finished = spans.get_finished_spans()
    [command] = [s for s in finished if s.name == "POST /org-registry/v1/organisations"]
    in_trace = [s for s in finished if s.context.trace_id == command.context.trace_id]
    systems = {
        (s.attributes or {}).get("db.system.name") or (s.attributes or {}).get("db.system")
        for s in in_trace
    }
    assert "postgresql" in systems
    # The event store's insert, made by psycopg in a worker thread, is in the request's trace.
    assert any(
        "INSERT" in s.name
        for s in in_trace
        if s.instrumentation_scope is not None and "psycopg" in s.instrumentation_scope.name
    )
