"""A span for every statement of a read-model engine (asyncpg or aiosqlite, through SQLAlchemy).

Ours rather than opentelemetry-instrumentation-sqlalchemy: that package is one instrumentor
per process (this engine would share the first service's tracer provider) and does not claim
SQLAlchemy 2.1. The statement text is recorded, never its parameters (people's names and
dates), as the engine hides them from its errors too.
"""

from __future__ import annotations

from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Where the span waits on the statement's execution context between the two events.
_SPAN = "_jiceng_span"
_SYSTEMS = {"postgresql": "postgresql", "sqlite": "sqlite"}


def trace_statements(engine: Engine, tracer: Tracer) -> None:
    system = _SYSTEMS.get(engine.dialect.name, engine.dialect.name)
    namespace = engine.url.database or ""

    @event.listens_for(engine, "before_cursor_execute")
    def _started(
        _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        if context is None:
            return
        operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        span = tracer.start_span(
            f"{operation} {system}",
            kind=SpanKind.CLIENT,
            attributes={
                "db.system.name": system,
                "db.namespace": namespace,
                "db.operation.name": operation,
                "db.query.text": statement,
            },
        )
        setattr(context, _SPAN, span)

    @event.listens_for(engine, "after_cursor_execute")
    def _finished(
        _conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        span = getattr(context, _SPAN, None)
        if span is not None:
            span.end()
            setattr(context, _SPAN, None)

    @event.listens_for(engine, "handle_error")
    def _failed(exception_context: Any) -> None:
        span = getattr(exception_context.execution_context, _SPAN, None)
        if span is None:
            return
        error = exception_context.original_exception
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        span.set_attribute("error.type", type(error).__name__)
        span.end()
        setattr(exception_context.execution_context, _SPAN, None)
