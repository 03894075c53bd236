"""Signing keys of an identity provider, fetched from its JWKS URL off the event loop.

``jwt.PyJWKClient`` fetches synchronously: called inside a request, a key-cache miss stopped
every request of the process for as long as the fetch took (up to its 30 s timeout). Here the
keys are kept in a cache of our own; a token whose ``kid`` is cached never waits; a fetch
runs in a thread of its own, one at a time (whoever needs a key meanwhile waits for that
fetch, each with its own short bound, the event loop running on); a fetch that fails or
takes too long answers 503 ``auth.keys_unavailable`` with ``Retry-After``, and a ``kid`` the
provider does not publish answers 401.

Keys are fetched again in the background when they are older than ``refresh_seconds``
(requests go on with the cached ones), and on an unknown ``kid`` at most once every
``unknown_kid_interval`` seconds, so made-up key ids cannot hammer the provider.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from typing import Any

import jwt

from jiceng.errors import Unauthenticated, Unavailable
from jiceng.outage import RETRY_AFTER_SECONDS

log = logging.getLogger(__name__)


class JwksKeys:
    def __init__(
        self,
        url: str,
        *,
        timeout: float = 5.0,
        refresh_seconds: float = 300.0,
        unknown_kid_interval: float = 30.0,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.refresh_seconds = refresh_seconds
        self.unknown_kid_interval = unknown_kid_interval
        self._client = jwt.PyJWKClient(url, cache_jwk_set=False, timeout=timeout)
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # monotonic time of the last good fetch
        self._lock = threading.Lock()
        self._fetching: concurrent.futures.Future[None] | None = None
        # One thread of its own: a fetch never takes a worker thread requests need.
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="jwks")

    # -- what requests call -------------------------------------------------------------
    async def key_for(self, token: str) -> Any:
        """The key verifying ``token``, waiting (off the loop) only when it is not cached."""
        kid = _kid(token)
        found = self._cached(kid)
        if found is not None:
            return found
        if self._may_fetch_for_unknown():
            fetch = asyncio.shield(asyncio.wrap_future(self._fetch_once()))
            try:
                await asyncio.wait_for(fetch, self.timeout + 1)
            except (TimeoutError, jwt.PyJWKClientError) as error:
                raise self._unavailable(error) from error
        return self._known(kid)

    def key_for_sync(self, token: str) -> Any:
        """:meth:`key_for` for callers outside an event loop (the CLI, tests)."""
        kid = _kid(token)
        found = self._cached(kid)
        if found is not None:
            return found
        if self._may_fetch_for_unknown():
            try:
                self._fetch_once().result(self.timeout + 1)
            except (concurrent.futures.TimeoutError, jwt.PyJWKClientError) as error:
                raise self._unavailable(error) from error
        return self._known(kid)

    # -- the cache ----------------------------------------------------------------------
    def _cached(self, kid: str | None) -> Any:
        with self._lock:
            key = self._keys.get(kid)
            stale = self._fetched_at is not None and (
                time.monotonic() - self._fetched_at > self.refresh_seconds
            )
        if key is not None and stale:
            self._fetch_once()  # in the background; this request goes on with the cached key
        return key.key if key is not None else None

    def _known(self, kid: str | None) -> Any:
        with self._lock:
            key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("auth.unauthenticated", reason="unknown signing key (kid)")
        return key.key

    def _may_fetch_for_unknown(self) -> bool:
        with self._lock:
            if self._fetching is not None and not self._fetching.done():
                return True  # join the fetch under way
            last = self._fetched_at
        return last is None or time.monotonic() - last >= self.unknown_kid_interval

    def _fetch_once(self) -> concurrent.futures.Future[None]:
        """The fetch under way, or a new one."""
        with self._lock:
            if self._fetching is None or self._fetching.done():
                self._fetching = self._executor.submit(self._fetch)
                self._fetching.add_done_callback(_retrieve)
            return self._fetching

    def _fetch(self) -> None:
        try:
            keys = jwt.PyJWKSet.from_dict(self._client.fetch_data()).keys
        except jwt.PyJWKClientError:
            raise
        except Exception as error:  # not JSON, no usable key, ...: the provider's fault
            raise jwt.PyJWKClientError(f"unusable JWKS: {type(error).__name__}") from error
        signing = {k.key_id: k for k in keys if k.public_key_use in ("sig", None)}
        with self._lock:
            self._keys = signing
            self._fetched_at = time.monotonic()
        log.info("fetched %d signing keys from the JWKS URL", len(signing))

    def _unavailable(self, error: BaseException) -> Unavailable:
        # The fetch's own failure is logged once, when it ends (see _retrieve).
        reason = "timed out" if isinstance(error, TimeoutError) else "failed"
        log.info("a request found no JWKS keys: the fetch %s", reason)
        return Unavailable("auth.keys_unavailable", retry_after=RETRY_AFTER_SECONDS)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _kid(token: str) -> str | None:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise Unauthenticated("auth.unauthenticated", reason=str(error)) from error
    kid = header.get("kid")
    return kid if isinstance(kid, str) else None


def _retrieve(future: concurrent.futures.Future[None]) -> None:
    # A background fetch nobody waited for: log its failure instead of losing it.
    if not future.cancelled() and (error := future.exception()) is not None:
        log.warning("JWKS fetch failed: %s", type(error).__name__)
