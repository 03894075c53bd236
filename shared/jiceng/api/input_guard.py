"""Refuse, before any route runs, input that no read model could hold.

Whatever a command accepts becomes an event, and every follower of every service must be able
to fold that event, on SQLite and on PostgreSQL, for as long as the log exists. So the path,
the query and a JSON body are checked here once for all routes:

- text holds no control characters (line breaks and tabs only in a body's free text) and no
  lone surrogates, and path and query decode as UTF-8;
- a body is UTF-8 JSON no deeper than :data:`MAX_DEPTH`, no larger than :data:`MAX_BODY_BYTES`,
  with finite numbers and integers within 64 bits (each field has its own, tighter bound in
  its schema); an uploaded spreadsheet (``POST …/imports/<kind>``) is a file, not JSON, and
  may be as large as :data:`MAX_UPLOAD_BYTES`;

A refusal is an RFC 9457 problem naming where the bad input was.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from jiceng.api.asgi import BodyTooLarge, read_body, replay, send_problem
from jiceng.text import first_control_character

MAX_DEPTH = 32
MAX_BODY_BYTES = 1 << 20
#: Largest spreadsheet upload (about 400,000 roster rows as xlsx): a file, not JSON.
MAX_UPLOAD_BYTES = 64 << 20
#: Where the body is an uploaded spreadsheet (``POST /<svc>/v1/imports/<kind>``).
UPLOAD_PATH = re.compile(r"^/[a-z-]+/v1/imports/[a-z-]+$")
INT64 = 2**63 - 1


class BadInput(Exception):
    def __init__(self, status: int, code: str, **params: Any) -> None:
        super().__init__(code)
        self.status, self.code, self.params = status, code, params


class InputGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_path(scope)
            check_query(scope.get("query_string", b""))
            if scope["method"] in ("POST", "PUT", "PATCH"):
                upload = scope["method"] == "POST" and UPLOAD_PATH.match(scope["path"])
                limit = MAX_UPLOAD_BYTES if upload else MAX_BODY_BYTES
                try:
                    body = await read_body(receive, limit)
                except BodyTooLarge:
                    raise BadInput(413, "request.body_too_large", limit=limit) from None
                if body and not upload:
                    check_json_body(body)
                receive = replay(body)
        except BadInput as bad:
            await send_problem(scope, send, bad.status, bad.code, bad.params)
            return
        await self.app(scope, receive, send)


def check_path(scope: Scope) -> None:
    raw: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")
    _text(unquote_to_bytes(raw), "path", allow_line_breaks=False)


def check_query(query: bytes) -> None:
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        key = _text(unquote_to_bytes(name.replace(b"+", b" ")), "query", allow_line_breaks=False)
        _text(unquote_to_bytes(value.replace(b"+", b" ")), f"query.{key}", allow_line_breaks=False)


def _text(raw: bytes, where: str, *, allow_line_breaks: bool) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadInput(400, "request.invalid_encoding", location=where) from error
    _check_string(text, where, allow_line_breaks=allow_line_breaks)
    return text


def _check_string(text: str, where: str, *, allow_line_breaks: bool) -> None:
    at = first_control_character(text, allow_line_breaks=allow_line_breaks)
    if at is not None:
        raise BadInput(
            422,
            "request.control_character",
            location=where,
            position=at,
            character=f"U+{ord(text[at]):04X}",
        )


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def check_json_body(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadInput(400, "request.invalid_encoding", location="body") from error
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except RecursionError as error:
        raise BadInput(400, "request.too_deep", location="body", limit=MAX_DEPTH) from error
    except ValueError as error:
        # Not JSON, NaN or Infinity, an integer of thousands of digits.
        raise BadInput(400, "request.malformed_body", reason=str(error)[:200]) from error
    _walk(value)


def _walk(value: Any) -> None:
    """Every string and number of a JSON value, without recursion (depth is bounded)."""
    stack: list[tuple[Any, str, int]] = [(value, "body", 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadInput(400, "request.too_deep", location=where, limit=MAX_DEPTH)
        if isinstance(item, str):
            _check_string(item, where, allow_line_breaks=True)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) > INT64:
                raise BadInput(422, "request.number_out_of_range", location=where)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise BadInput(422, "request.number_out_of_range", location=where)
        elif isinstance(item, dict):
            for key, inner in item.items():
                _check_string(key, f"{where}.{key[:40]}", allow_line_breaks=False)
                stack.append((inner, f"{where}.{key[:40]}", depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{i}]", depth + 1) for i, inner in enumerate(item))
