"""Traces: a command's request span with its statements under it, and the followers' spans
that apply its event, here and in another service, linked to the command's span.

Each service instance gets its own tracer provider through its composition root; here both
keep their spans in one in-memory exporter.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import httpx
import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, format_trace_id

from jiceng.api.observability import JsonFormatter
from jiceng.auth.tokens import TokenService
from jiceng.eventlog.storage import Storage
from jiceng.settings import Settings
from jiceng.tracing import tracing_from_environment
from jiceng.tracing.otel import OtelTracing
from path_support import TODAY as PATH_TODAY
from support import TODAY, Api


@dataclass
class Traced:
    org: Api
    lifecycle: Api
    spans: InMemorySpanExporter

    def named(self, prefix: str) -> list[ReadableSpan]:
        return [s for s in self.spans.get_finished_spans() if s.name.startswith(prefix)]

    async def one_named(self, prefix: str) -> ReadableSpan:
        """The span called ``prefix…``, once it has ended (a follower may end it after the
        command has answered), waiting up to 5 s."""
        for _ in range(250):
            if found := self.named(prefix):
                [span] = found
                return span
            await asyncio.sleep(0.02)
        raise AssertionError(f"no span {prefix!r} in {self.named('')}")


@pytest.fixture
async def traced(settings: Settings, tokens: TokenService) -> AsyncIterator[Traced]:
    """org-registry and member-lifecycle in memory, each tracing into one in-memory exporter;
    member-lifecycle reads org-registry's feed over HTTP, through an ASGI transport."""
    from member_lifecycle.bootstrap import create_app as lifecycle_app
    from org_registry.bootstrap import create_app as org_app

    spans = InMemorySpanExporter()
    org = org_app(
        settings,
        storage=Storage.memory("org-registry"),
        clock=lambda: TODAY,
        tracing=OtelTracing.exporting_to("org-registry", spans),
    )
    lifecycle = lifecycle_app(
        settings,
        storage=Storage.memory("member-lifecycle"),
        clock=lambda: PATH_TODAY,
        tracing=OtelTracing.exporting_to("member-lifecycle", spans),
    )
    async with org.router.lifespan_context(org), lifecycle.router.lifespan_context(lifecycle):
        runtime = lifecycle.state.runtime
        feed = runtime.follower_for("org-registry", "orgtree").source
        # The feed client the runtime made, instrumented as it was, reaching org-registry
        # in this process instead of over the network.
        feed.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=org))
        runtime.tracing.instrument_client(feed.client)
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=org), base_url="http://t") as a,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=lifecycle), base_url="http://t"
            ) as b,
        ):
            yield Traced(
                Api(a, org.state.runtime, tokens), Api(b, lifecycle.state.runtime, tokens), spans
            )
        await feed.client.aclose()


def under(span: ReadableSpan, spans: Sequence[ReadableSpan]) -> list[ReadableSpan]:
    """The spans beneath ``span``, at any depth."""
    parent_of = {s.context.span_id: s.parent.span_id for s in spans if s.parent is not None}

    def beneath(span_id: int) -> bool:
        while span_id in parent_of:
            span_id = parent_of[span_id]
            if span_id == span.context.span_id:
                return True
        return False

    return [s for s in spans if beneath(s.context.span_id)]


def is_statement(span: ReadableSpan) -> bool:
    return "db.system.name" in (span.attributes or {})


def linked_to(span: ReadableSpan, target: ReadableSpan) -> bool:
    return any(
        (link.context.trace_id, link.context.span_id)
        == (target.context.trace_id, target.context.span_id)
        for link in span.links
    )


async def test_a_command_is_one_trace_and_its_followers_link_to_it(traced: Traced) -> None:
    committee = await traced.org.establish("党委")

    # The command: one server span.
    command = await traced.one_named("POST /org-registry/v1/organisations")
    assert command.kind == SpanKind.SERVER and command.parent is None
    assert command.resource.attributes["service.name"] == "org-registry"

    # org-registry's own follower applies the event: its span links to the command's.
    fold = await traced.one_named("fold org-registry:orgtree")
    assert fold.kind == SpanKind.CONSUMER and fold.parent is None
    assert linked_to(fold, command)
    assert any(is_statement(s) for s in under(fold, traced.spans.get_finished_spans()))

    # member-lifecycle reads org-registry's feed over HTTP: the read is a client span, the
    # feed's server span is its child, and the page applied there links to the command too.
    follower = traced.lifecycle.runtime.follower_for("org-registry", "orgtree")
    await follower.prepare()
    assert await follower.step() >= 1
    spans = traced.spans.get_finished_spans()
    [read] = [s for s in spans if s.kind == SpanKind.CLIENT and s.name.startswith("GET")]
    [served] = [s for s in spans if s.name == "GET /org-registry/v1/events"]
    assert served.parent is not None and served.parent.span_id == read.context.span_id
    assert read.resource.attributes["service.name"] == "member-lifecycle"
    [remote_fold] = [
        s
        for s in spans
        if s.name == "fold org-registry:orgtree"
        and s.resource.attributes["service.name"] == "member-lifecycle"
    ]
    assert linked_to(remote_fold, command)

    # A command reading a read model (the parent, in the tree copy) runs those statements
    # beneath its request span.
    traced.spans.clear()
    await traced.org.establish("第一党支部", parent_id=committee["id"])
    child = await traced.one_named("POST /org-registry/v1/organisations")
    statements = [s for s in under(child, traced.spans.get_finished_spans()) if is_statement(s)]
    assert statements, "no statement span under the request"
    assert {s.attributes["db.system.name"] for s in statements} == {"sqlite"}


async def test_the_event_keeps_the_trace_context_of_its_command(traced: Traced) -> None:
    await traced.org.establish("党委")
    command = await traced.one_named("POST /org-registry/v1/organisations")
    body = (
        await traced.org.client.get("/org-registry/v1/events", headers=traced.org.headers())
    ).json()
    [event] = body["events"]
    trace_id = format_trace_id(command.context.trace_id)
    assert event["traceparent"].startswith(f"00-{trace_id}-")


async def test_probes_and_scrapes_make_no_span(traced: Traced) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        await traced.org.client.get(path)
    assert traced.spans.get_finished_spans() == ()


def test_a_json_log_line_in_a_span_carries_its_trace_id() -> None:
    tracing = OtelTracing.exporting_to("org-registry", InMemorySpanExporter())
    formatter = JsonFormatter("org-registry")
    record = logging.LogRecord("jiceng", logging.INFO, __file__, 1, "inside", (), None)
    with tracing.tracer.start_as_current_span("work") as span:
        line = json.loads(formatter.format(record))
    context = span.get_span_context()
    assert line["trace_id"] == format_trace_id(context.trace_id)
    assert line["span_id"] == f"{context.span_id:016x}"
    assert "trace_id" not in json.loads(formatter.format(record))


def test_tracing_is_on_only_when_the_environment_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not tracing_from_environment("org-registry").enabled
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "console")
    assert tracing_from_environment("org-registry").enabled
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert not tracing_from_environment("org-registry").enabled


def test_the_kernel_runs_without_opentelemetry() -> None:
    """With the extra absent, a service asked to trace starts untraced and says why.

    (FastAPI itself needs opentelemetry-api; the extra brings the SDK, the exporter and the
    instrumentations.)
    """
    script = """
import sys
for extra in ("opentelemetry.sdk", "opentelemetry.exporter", "opentelemetry.instrumentation"):
    sys.modules[extra] = None  # as if the otel extra were not installed
from jiceng.eventlog.storage import Storage
from jiceng.settings import Settings
from jiceng.tracing import current_traceparent, trace_ids
from org_registry.bootstrap import create_app
app = create_app(Settings(env="dev"), storage=Storage.memory("org-registry"))
assert not app.state.runtime.tracing.enabled
assert trace_ids() == {} and current_traceparent() is None
print("untraced")
"""
    env = {**os.environ, "OTEL_TRACES_EXPORTER": "console"}
    env = {k: v for k, v in env.items() if not k.startswith("JICENG_")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "untraced" in done.stdout
    assert "tracing asked for but not installed" in done.stderr
