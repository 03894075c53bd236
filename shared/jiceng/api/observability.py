"""Request ids, JSON logs and Prometheus metrics."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiceng.api.asgi import problem_messages
from jiceng.api.problems import storage_problem_params
from jiceng.errors import JicengError
from jiceng.metrics import Metrics
from jiceng.outage import storage_unavailable
from jiceng.redaction import safe_traceback
from jiceng.tracing import current_traceparent, trace_ids

#: Logged (never sent) for a request cancelled before it was answered, as nginx does.
CLIENT_CLOSED_REQUEST = 499
request_id_var: ContextVar[str | None] = ContextVar("jiceng_request_id", default=None)
access_log = logging.getLogger("jiceng.access")


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update(trace_ids())
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            entry.update(extra)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """One line a record: control characters in the message (a path a client sent, say) are
    written as escapes, so that no request can forge a line of the log."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = _CONTROL.sub(_escape, record.message)
        return super().formatMessage(record)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(found: re.Match[str]) -> str:
    return found.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def configure_logging(service: str, level: str = "INFO", *, json_lines: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(PlainFormatter(f"%(asctime)s {service} %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
error_log = logging.getLogger("jiceng.errors")


class RequestContextMiddleware:
    """Give every request an id (or take ``X-Request-ID``), log it as one JSON line, count it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        # The request's own span (FastAPI's spans of dependencies and endpoint lie within):
        # what the events a command causes link back to.
        state["traceparent"] = current_traceparent()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        answered = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except asyncio.CancelledError:
            # The server is stopping (or the client left) while the request waited, a feed's
            # long-poll say: nobody gets an answer, and it is no server error.
            if not answered:
                status = CLIENT_CLOSED_REQUEST
            raise
        except Exception as error:
            # Answered here rather than re-raised: a server that re-raises after its 500 has
            # gone out closes the connection, and a proxy reusing it fails the next request.
            # Raised in a middleware (the idempotency store's), past the app's handlers.
            if storage_unavailable(error):
                status_code, code = 503, "storage.unavailable"
                params = storage_problem_params(error)
            elif isinstance(error, JicengError):
                status_code, code, params = error.status, error.code, error.params
            else:
                error_log.error(
                    "unhandled error in request %s: %s", request_id, safe_traceback(error)
                )
                status_code, code, params = 500, "internal.error", {"request_id": request_id}
            if not answered:
                start, body = problem_messages(scope, status_code, code, params)
                await send_with_id(start)
                await send(body)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            route_path = getattr(route, "path", "unmatched")
            self.metrics.requests.labels(scope["method"], route_path, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route_path).observe(elapsed)
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    }
                },
            )
            request_id_var.reset(token)
