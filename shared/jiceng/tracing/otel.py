"""Tracing switched on: a tracer provider per service instance, and what it instruments.

Imported only when the ``otel`` extra is installed (see :mod:`jiceng.tracing`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry.context import Context
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, OTELResourceDetector, Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.trace import Link, SpanKind, get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from jiceng.tracing import Tracing
from jiceng.tracing.queries import trace_statements

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    import httpx
    from fastapi.telemetry import TelemetryConfig
    from sqlalchemy.ext.asyncio import AsyncEngine

    from jiceng.eventlog.records import FeedEvent

log = logging.getLogger(__name__)

#: Probes and scrapes come every few seconds and say nothing about a request's path.
UNTRACED_PATHS = ("/healthz", "/readyz", "/metrics")
#: The SDK's default limit of links on a span.
MAX_LINKS = 128
_W3C = TraceContextTextMapPropagator()
#: The tracing whose provider the process-wide psycopg instrumentation uses.
_psycopg_owner: OtelTracing | None = None


class OtelTracing(Tracing):
    enabled = True

    def __init__(self, service: str, provider: TracerProvider) -> None:
        self.service = service
        self.provider = provider
        self.tracer = provider.get_tracer("jiceng")

    @classmethod
    def from_environment(cls, service: str) -> Tracing:
        exporters = _exporters()
        if not exporters:
            return Tracing()
        provider = TracerProvider(resource=resource_of(service))
        for exporter in exporters:
            provider.add_span_processor(SkipLoneQueries(BatchSpanProcessor(exporter)))
        return cls(service, provider)

    @classmethod
    def exporting_to(cls, service: str, exporter: SpanExporter) -> OtelTracing:
        """Each span handed to ``exporter`` as it ends (an in-memory exporter, in tests)."""
        provider = TracerProvider(resource=resource_of(service))
        provider.add_span_processor(SkipLoneQueries(SimpleSpanProcessor(exporter)))
        return cls(service, provider)

    def fastapi_telemetry(self) -> TelemetryConfig:
        # FastAPI's own spans: the request, and within it dependencies, endpoint and
        # serialisation. Its metrics are Prometheus's job here, and its log records would
        # carry exception messages, which may quote personal data (ours are redacted).
        return {
            "tracer_provider": self.provider,
            "tracing": True,
            "metrics": False,
            "logs": False,
            "exclude": _untraced,
        }

    def instrument_client(self, client: httpx.AsyncClient) -> None:
        HTTPXClientInstrumentor.instrument_client(client, tracer_provider=self.provider)

    def instrument_engine(self, engine: AsyncEngine) -> None:
        trace_statements(engine.sync_engine, self.tracer)

    def instrument_psycopg(self) -> None:
        global _psycopg_owner
        if _psycopg_owner is None:
            PsycopgInstrumentor().instrument(tracer_provider=self.provider)
            _psycopg_owner = self

    @contextmanager
    def applying(self, verb: str, follower: str, events: Sequence[FeedEvent]) -> Iterator[None]:
        attributes: dict[str, Any] = {
            "jiceng.follower": follower,
            "messaging.operation.type": "process",
            "messaging.batch.message_count": len(events),
        }
        if events:
            attributes["jiceng.event_ids"] = [events[0].id, events[-1].id]
        with self.tracer.start_as_current_span(
            f"{verb} {follower}",
            kind=SpanKind.CONSUMER,
            links=links_to(events),
            attributes=attributes,
        ):
            yield

    def stop(self) -> None:
        global _psycopg_owner
        if _psycopg_owner is self:
            PsycopgInstrumentor().uninstrument()
            _psycopg_owner = None
        self.provider.force_flush()


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    return str(scope.get("path", "")).endswith(UNTRACED_PATHS)


def links_to(events: Sequence[FeedEvent]) -> list[Link]:
    """A link to the span that caused each event (once per span), from its ``traceparent``."""
    links: dict[tuple[int, int], Link] = {}
    for event in events:
        if event.traceparent is None or len(links) == MAX_LINKS:
            continue
        context = get_current_span(_W3C.extract({"traceparent": event.traceparent}))
        found = context.get_span_context()
        key = (found.trace_id, found.span_id)
        if found.is_valid and key not in links:
            links[key] = Link(found, {"jiceng.event_id": event.id})
    return list(links.values())


def resource_of(service: str) -> Resource:
    """``service.name`` is the service's, unless ``OTEL_SERVICE_NAME`` (or
    ``OTEL_RESOURCE_ATTRIBUTES``) says otherwise."""
    ours = Resource.create({SERVICE_NAME: service, "service.namespace": "jiceng"})
    return ours.merge(OTELResourceDetector().detect())


def _exporters() -> list[SpanExporter]:
    names = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() or "otlp"
    exporters: list[SpanExporter] = []
    for name in (n.strip() for n in names.split(",")):
        if name == "otlp":
            exporters.append(_otlp())
        elif name == "console":
            exporters.append(ConsoleSpanExporter())
        elif name and name != "none":
            log.warning("OTEL_TRACES_EXPORTER: unknown exporter %r ignored", name)
    return exporters


def _otlp() -> SpanExporter:
    protocol = os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "")
    )
    if protocol and protocol != "http/protobuf":
        log.warning("OTLP protocol %r not installed: traces go over http/protobuf", protocol)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    # Endpoint, headers, timeout and compression come from the OTEL_EXPORTER_OTLP_* variables.
    return OTLPSpanExporter()


class SkipLoneQueries(SpanProcessor):
    """Export a database span only inside a request's or a follower's span: the statements of
    probes, lock polls and start-up would otherwise each be a trace of their own."""

    def __init__(self, inner: SpanProcessor) -> None:
        self.inner = inner

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self.inner.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        attributes = span.attributes or {}
        lone = span.parent is None and ("db.system" in attributes or "db.system.name" in attributes)
        if not lone:
            self.inner.on_end(span)

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)
