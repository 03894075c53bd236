"""``Idempotency-Key`` on POST: the same key and body give the first outcome, once.

Each save a keyed command makes is recorded with its key in the save's own transaction (see
:mod:`jiceng.idempotent`), and the response is kept once it is sent. A retry gets the kept
response; a retry after a crash, a timeout or a 5xx that came after the commit runs the route
again, and every save already recorded answers with what it recorded instead of running the
command twice. Two tries at the same time commit at most once; both answer with that outcome.
The same key with another body is refused (422). Keys are scoped to the caller and the path
(hashed whole), and kept at least 24 hours.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiceng.api.asgi import read_body, replay, send_problem
from jiceng.auth.principal import Principal
from jiceng.auth.tokens import TokenService
from jiceng.errors import JicengError, Unavailable
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.journal import RETENTION, StoredResponse
from jiceng.idempotent import IdempotentRequest, serving

KEY_HEADER = b"idempotency-key"
#: Forget records older than the retention after this many kept responses.
PRUNE_EVERY = 500

log = logging.getLogger(__name__)


class IdempotencyStore:
    """The idempotency records, kept in the service's event store beside the events."""

    def __init__(self, event_log: EventLog) -> None:
        self.log = event_log
        self._kept = 0

    async def outcome(self, scope: str) -> tuple[set[str], StoredResponse | None]:
        return await anyio.to_thread.run_sync(lambda: self.log.idempotency_outcome(scope))

    async def keep(self, response: StoredResponse) -> None:
        def write() -> None:
            self.log.keep_response(response)
            self._kept += 1
            if self._kept % PRUNE_EVERY == 0:
                self.log.forget_idempotency_before(datetime.now(UTC) - RETENTION)

        await anyio.to_thread.run_sync(write)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, store: IdempotencyStore, tokens: TokenService) -> None:
        self.app = app
        self.store = store
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = headers.get(KEY_HEADER)
        if key is None:  # nothing to replay
            await self.app(scope, receive, send)
            return
        principal = await self._caller(headers.get(b"authorization"), headers.get(b"x-api-key"))
        if principal is None:
            # Without a valid caller the route itself answers 401; nothing is remembered.
            await self.app(scope, receive, send)
            return
        # Verified once: the route's authentication takes it from the request's state.
        scope.setdefault("state", {})["principal"] = principal
        caller = principal.actor
        body = await read_body(receive)
        key_text = key.decode("latin-1")
        scope_key = hashlib.sha256(f"{caller}|{scope['path']}|".encode() + key).hexdigest()
        request_hash = hashlib.sha256(
            scope["path"].encode() + b"?" + scope.get("query_string", b"") + b"\n" + body
        ).hexdigest()
        hashes, response = await self.store.outcome(scope_key)
        if hashes - {request_hash}:
            await send_problem(scope, send, 422, "idempotency.key_reused", {"key": key_text})
        elif response is not None:
            stored = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status,
                    "headers": [*stored, (b"idempotent-replayed", b"true")],
                }
            )
            await send({"type": "http.response.body", "body": response.body})
        else:
            with serving(IdempotentRequest(scope_key, request_hash)):
                await self._first(scope, body, send, scope_key, request_hash)

    async def _caller(self, authorization: bytes | None, api_key: bytes | None) -> Principal | None:
        try:
            return await self.tokens.authenticate_async(
                authorization.decode("latin-1") if authorization else None,
                api_key.decode("latin-1") if api_key else None,
            )
        except Unavailable:
            raise  # keys out of reach: answer 503 now rather than run without the key
        except JicengError:
            return None

    async def _first(
        self, scope: Scope, body: bytes, send: Send, scope_key: str, request_hash: str
    ) -> None:
        status = 500
        response_headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, response_headers
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replay(body), capture)
        if status >= 500:
            return  # a retry runs again; any save this try committed answers from its record
        kept = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in response_headers
            if k.lower() not in (b"date", b"server", b"x-request-id")
        ]
        try:
            await self.store.keep(
                StoredResponse(scope_key, request_hash, status, kept, b"".join(chunks))
            )
        except Exception as error:  # the answer is sent; a retry rebuilds it from the log
            log.warning("could not keep the response of an idempotent request: %r", error)
