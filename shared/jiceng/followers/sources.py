"""Where a consumer reads events: its own service's log, or another service's HTTP feed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

import anyio
import httpx

from jiceng.eventlog.application import EventLog
from jiceng.eventlog.records import FeedEvent, FeedPage, read_page
from jiceng.feed.signal import LogSignal


class UpstreamUnavailable(Exception):
    """The feed could not be read this time (network, upstream down, 5xx)."""


class FeedSource(Protocol):
    upstream: str

    async def read(self, after: int, limit: int, wait: float) -> FeedPage: ...


class LocalFeedSource:
    """The service's own log, read directly from its recorder."""

    def __init__(
        self, app: EventLog, signal: LogSignal, upstream: str, poll: float | None = None
    ) -> None:
        self.app = app
        self.signal = signal
        self.upstream = upstream
        #: Where no notification crosses processes (SQLite), look at the log this often
        #: while waiting, for events another process wrote.
        self.poll = poll

    async def read(self, after: int, limit: int, wait: float) -> FeedPage:
        since = self.signal.generation
        page = await self._read(after, limit)
        if page.events or wait <= 0:
            return page
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while (remaining := deadline - loop.time()) > 0:
            if await self.signal.wait_changed(since, min(remaining, self.poll or remaining)):
                return await self._read(after, limit)
            if self.poll is not None and await anyio.to_thread.run_sync(self.app.head) > after:
                return await self._read(after, limit)
        return page

    async def _read(self, after: int, limit: int) -> FeedPage:
        try:
            return await anyio.to_thread.run_sync(
                lambda: read_page(self.app, after=after, limit=limit)
            )
        except Exception as error:  # the recorder's own errors: database down, locked, ...
            raise UpstreamUnavailable(str(error)) from error


class HttpFeedSource:
    """Another service's feed, ``GET {base}/{service}/v1/events`` with long-poll."""

    def __init__(
        self,
        base_url: str,
        upstream: str,
        credential: Callable[[], str],
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.upstream = upstream
        self.credential = credential
        self.client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))

    async def read(self, after: int, limit: int, wait: float) -> FeedPage:
        url = f"{self.base_url}/{self.upstream}/v1/events"
        params: dict[str, str | int | float] = {"after": after, "limit": limit}
        if wait > 0:
            params["wait"] = wait
        try:
            response = await self.client.get(
                url,
                params=params,
                headers={"Authorization": f"Bearer {self.credential()}"},
                timeout=httpx.Timeout(10.0 + wait),
            )
        except httpx.HTTPError as error:
            raise UpstreamUnavailable(f"{url}: {error!r}") from error
        if response.status_code >= 500 or response.status_code in (401, 403, 404, 429):
            raise UpstreamUnavailable(f"{url}: HTTP {response.status_code} {response.text[:200]}")
        response.raise_for_status()
        body = response.json()
        return FeedPage(
            events=[FeedEvent.from_dict(e) for e in body["events"]],
            next_after=int(body["next_after"]),
            head=int(body["head"]),
        )

    async def aclose(self) -> None:
        await self.client.aclose()
