"""What the middlewares share at the ASGI level: reading a body once, handing it on, and
answering a problem before (or instead of) the route."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from jiceng.api.language import prefers_english
from jiceng.api.problems import PROBLEM_MEDIA_TYPE, messages_of, render_problem


class BodyTooLarge(Exception):
    """The body grew past the limit while it was read."""


async def read_body(receive: Receive, limit: int | None = None) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes) -> Receive:
    """A ``receive`` that gives the app a body already read."""
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def problem_messages(
    scope: Scope, status: int, code: str, params: dict[str, Any]
) -> tuple[Message, Message]:
    """The start and body messages of a problem answer, in the language the client prefers."""
    accept = dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1")
    request_id = scope.get("state", {}).get("request_id")
    body, headers = render_problem(
        messages_of(scope.get("app")),
        status,
        code,
        params,
        english=prefers_english(accept),
        instance=scope.get("path"),
        request_id=request_id,
    )
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(raw)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in headers.items()),
        ],
    }
    return start, {"type": "http.response.body", "body": raw}


async def send_problem(
    scope: Scope, send: Send, status: int, code: str, params: dict[str, Any]
) -> None:
    start, body = problem_messages(scope, status, code, params)
    await send(start)
    await send(body)
