"""A TCP proxy in front of PostgreSQL that a test can cut and restore: an outage from outside.

It runs its own event loop in a thread, so the service's sync connections (eventsourcing's
pool, in worker threads) and its async ones (asyncpg, the probe's psycopg) go through it
alike. ``cut()`` closes every proxied connection and stops listening, so new connections are
refused, as when the database host is down; ``restore()`` listens again on the same port.
``freeze()`` keeps every connection open and accepts new ones but passes no byte either way,
as a network partition does (nothing fails, everything waits); ``thaw()`` lets them flow.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit


class OutageProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing: asyncio.Event | None = None
        #: Client connections accepted so far, and those open now.
        self.accepted = 0
        self.open_connections = 0

    @classmethod
    def for_url(cls, url: str) -> OutageProxy:
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 5432)

    def url_through(self, url: str) -> str:
        """``url`` with its host and port replaced by the proxy's."""
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    # -- control (from the test's thread) ---------------------------------------------
    def start(self) -> OutageProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        self._call(self._cut())

    def restore(self) -> None:
        self._call(self._listen())

    def freeze(self) -> None:
        """Pass nothing, fail nothing."""
        self._call(self._set_flowing(False))

    def thaw(self) -> None:
        self._call(self._set_flowing(True))

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._call(self._cut())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _call(self, coroutine: object) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)  # type: ignore[arg-type]

    # -- the proxy (in its own loop) --------------------------------------------------
    async def _set_flowing(self, flowing: bool) -> None:
        assert self._flowing is not None
        if flowing:
            self._flowing.set()
        else:
            self._flowing.clear()

    async def _listen(self) -> None:
        if self._flowing is None:
            self._flowing = asyncio.Event()
            self._flowing.set()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _serve(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        self.accepted += 1
        self.open_connections += 1
        self._writers.add(client_out)
        try:
            assert self._flowing is not None
            await self._flowing.wait()
            try:
                server_in, server_out = await asyncio.open_connection(*self.target)
            except OSError:
                client_out.transport.abort()
                return
            self._writers.update((client_out, server_out))
            await asyncio.gather(
                self._pipe(client_in, server_out), self._pipe(server_in, client_out)
            )
        finally:
            self.open_connections -= 1

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                assert self._flowing is not None
                await self._flowing.wait()
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(sink)
            sink.transport.abort()


@contextlib.contextmanager
def outage_proxy(url: str) -> Iterator[OutageProxy]:
    proxy = OutageProxy.for_url(url).start()
    try:
        yield proxy
    finally:
        proxy.stop()
