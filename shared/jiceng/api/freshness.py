"""Answers of commands say whether their read models had caught up (see
:mod:`jiceng.consistency`): ``Jiceng-Position`` names the log position the command saved,
and ``Jiceng-Read-Models: behind`` tells the client that a query right now may not show it
yet (wait for the position with the feed, or retry the query shortly)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiceng.consistency import tracking


class FreshnessMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        with tracking() as freshness:

            async def annotate(message: Message) -> None:
                if message["type"] == "http.response.start" and freshness.position:
                    headers = list(message.get("headers", []))
                    headers.append((b"jiceng-position", str(freshness.position).encode()))
                    state = b"behind" if freshness.behind else b"current"
                    headers.append((b"jiceng-read-models", state))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, annotate)
