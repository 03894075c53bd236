"""Traces with OpenTelemetry, when the ``otel`` extra is installed and the environment asks.

The kernel imports nothing of OpenTelemetry unless it is installed: :class:`Tracing` is the
switched-off kind every hook of which does nothing, and :func:`tracing_from_environment`
returns it unless ``OTEL_TRACES_EXPORTER`` names an exporter (other than ``none``) or
``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` is set, and
``OTEL_SDK_DISABLED`` is not true. Each service instance has its own tracer provider (tests
run several services in one process), as each has its own metrics registry.

A command's request span (FastAPI's own telemetry) travels with its events: the event's
attribution keeps the W3C ``traceparent`` of the span that caused it, the feed serves it, and
a follower's span that applies a page links to the span of every event on it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx
    from fastapi.telemetry import TelemetryConfig
    from sqlalchemy.ext.asyncio import AsyncEngine

    from jiceng.eventlog.records import FeedEvent

try:
    from opentelemetry import trace as otel_trace
except ImportError:  # the otel extra is not installed
    otel_trace = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

_TRUE = ("true", "1", "yes", "on")


class Tracing:
    """Tracing switched off: nothing is instrumented and no span is made."""

    enabled = False

    def fastapi_telemetry(self) -> TelemetryConfig | None:
        """FastAPI's own telemetry for the service's app (None: FastAPI's defaults, which do
        nothing unless a global provider is configured)."""
        return None

    def instrument_client(self, client: httpx.AsyncClient) -> None:
        """Give every request of ``client`` (a feed read) a client span, and send the trace
        context with it."""

    def instrument_engine(self, engine: AsyncEngine) -> None:
        """Give every statement of a read-model engine a span."""

    def instrument_psycopg(self) -> None:
        """Give every statement of the event store's psycopg connections a span (process-wide:
        called before the event store opens its pool)."""

    @contextmanager
    def applying(self, verb: str, follower: str, events: Sequence[FeedEvent]) -> Iterator[None]:
        """A span around a follower's page, linked to the spans that caused its events."""
        yield

    def stop(self) -> None:
        """Send what is still buffered; release process-wide instrumentation."""


def wanted() -> bool:
    """Does the environment ask for traces?"""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() in _TRUE:
        return False
    exporter = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter != "none"
    return any(
        os.environ.get(key, "").strip()
        for key in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def tracing_from_environment(service: str) -> Tracing:
    """The tracing the ``OTEL_*`` variables configure for ``service`` (off unless asked)."""
    if not wanted():
        return Tracing()
    try:
        from jiceng.tracing.otel import OtelTracing
    except ImportError as error:
        log.warning("tracing asked for but not installed (pip install 'jiceng[otel]'): %s", error)
        return Tracing()
    return OtelTracing.from_environment(service)


def trace_ids() -> dict[str, str]:
    """The current span's trace and span ids (hex, as tracing back-ends show them), if any."""
    if otel_trace is None:
        return {}
    context = otel_trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {
        "trace_id": otel_trace.format_trace_id(context.trace_id),
        "span_id": otel_trace.format_span_id(context.span_id),
    }


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the current span, if it is sampled (else no span is kept to
    link to)."""
    if otel_trace is None:
        return None
    context = otel_trace.get_current_span().get_span_context()
    if not (context.is_valid and context.trace_flags.sampled):
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
