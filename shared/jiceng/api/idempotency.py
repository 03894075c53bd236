"""``Idempotency-Key`` on POST: the same key and body replay the first response.

The same key with another body is refused (422); a key whose first request is still being
processed is refused (409). Keys are scoped to the caller and the path, and kept 24 hours.
A first response of 5xx is not kept, so the client may retry with the same key.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiceng.api.asgi import read_body, replay, send_problem
from jiceng.auth.tokens import TokenService
from jiceng.errors import JicengError, Unavailable
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.tables import idempotency_records as records

KEY_HEADER = b"idempotency-key"
RETENTION = timedelta(hours=24)
#: A first request still "in flight" after this long crashed; its key may be taken over.
ABANDONED_AFTER = timedelta(minutes=2)


class IdempotencyStore:
    def __init__(self, db: ReadModelDatabase) -> None:
        self.db = db

    async def begin(self, scope: str, request_hash: str) -> tuple[str, Any]:
        """Claim ``scope``: ``("new", None)``, ``("replay", row)``, ``("mismatch", None)``
        or ``("in_flight", None)``."""
        now = datetime.now(UTC)
        async with self.db.engine.begin() as conn:
            row = (
                await conn.execute(select(records).where(records.c.scope == scope))
            ).one_or_none()
            if row is not None:
                created = _aware(row.created_at)
                expired = now - created > RETENTION
                abandoned = row.state == "in_flight" and now - created > ABANDONED_AFTER
                if not (expired or abandoned):
                    if row.request_hash != request_hash:
                        return "mismatch", None
                    if row.state == "in_flight":
                        return "in_flight", None
                    return "replay", row
                await conn.execute(delete(records).where(records.c.scope == scope))
        try:
            async with self.db.engine.begin() as conn:
                await conn.execute(
                    insert(records).values(
                        scope=scope, request_hash=request_hash, state="in_flight", created_at=now
                    )
                )
        except IntegrityError:
            return "in_flight", None  # another request claimed it between our two statements
        return "new", None

    async def complete(
        self, scope: str, status: int, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(
                update(records)
                .where(records.c.scope == scope)
                .values(state="done", status_code=status, headers=headers, body=body)
            )

    async def release(self, scope: str) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(delete(records).where(records.c.scope == scope))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
        caller = await self._caller(headers.get(b"authorization"), headers.get(b"x-api-key"))
        if key is None or caller is None:
            # Without a key there is nothing to replay; without a valid caller the route
            # itself answers 401 and nothing must be remembered.
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        key_text = key.decode("latin-1")
        scope_key = f"{caller}|{scope['path']}|{key_text}"[:300]
        request_hash = hashlib.sha256(
            scope["path"].encode() + b"?" + scope.get("query_string", b"") + b"\n" + body
        ).hexdigest()
        outcome, row = await self.store.begin(scope_key, request_hash)
        if outcome == "mismatch":
            await send_problem(scope, send, 422, "idempotency.key_reused", {"key": key_text})
        elif outcome == "in_flight":
            await send_problem(scope, send, 409, "idempotency.in_flight", {"key": key_text})
        elif outcome == "replay":
            stored = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in row.headers]
            await send(
                {
                    "type": "http.response.start",
                    "status": row.status_code,
                    "headers": [*stored, (b"idempotent-replayed", b"true")],
                }
            )
            await send({"type": "http.response.body", "body": row.body})
        else:
            await self._first(scope, body, send, scope_key)

    async def _caller(self, authorization: bytes | None, api_key: bytes | None) -> str | None:
        try:
            principal = await self.tokens.authenticate_async(
                authorization.decode("latin-1") if authorization else None,
                api_key.decode("latin-1") if api_key else None,
            )
        except Unavailable:
            raise  # keys out of reach: answer 503 now rather than run without the key
        except JicengError:
            return None
        return principal.actor

    async def _first(self, scope: Scope, body: bytes, send: Send, scope_key: str) -> None:
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

        try:
            await self.app(scope, replay(body), capture)
        except BaseException:
            await self.store.release(scope_key)
            raise
        if status >= 500:
            await self.store.release(scope_key)
            return
        kept = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in response_headers
            if k.lower() not in (b"date", b"server", b"x-request-id")
        ]
        await self.store.complete(scope_key, status, kept, b"".join(chunks))
