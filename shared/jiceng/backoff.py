"""Start-up against storage that is not there yet: retry with capped exponential back-off.

A service (or ``jiceng migrate``) started while PostgreSQL is still coming up waits for it,
logging each failed attempt, for at most ``JICENG_STARTUP_TIMEOUT_SECONDS``; then the last
error is raised and the process exits as before. Only errors that say storage is unreachable
(:func:`jiceng.outage.storage_unavailable`) are retried: a wrong password or a bad schema
name fails at once.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from jiceng.outage import storage_unavailable
from jiceng.redaction import safe_error_text

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """How long to keep trying and how far apart: 0.5 s, doubling, at most ``cap`` apart."""

    budget: float
    first: float = 0.5
    cap: float = 10.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...), jittered."""
        base: float = min(self.cap, self.first * 2.0 ** (attempt - 1))
        return base * random.uniform(0.8, 1.0)


def _next_wait(
    backoff: Backoff, attempt: int, started: float, error: Exception, what: str
) -> float:
    """Seconds to wait before the next attempt; raises ``error`` when it may not be retried."""
    left = backoff.budget - (time.monotonic() - started)
    if not storage_unavailable(error) or left <= 0:
        raise error
    wait = min(backoff.delay(attempt), left)
    log.warning(
        "%s: storage unreachable (attempt %d, %s); retrying in %.1fs, giving up in %.0fs",
        what,
        attempt,
        safe_error_text(error),
        wait,
        left,
    )
    return wait


def retry_sync(call: Callable[[], T], backoff: Backoff, what: str) -> T:
    """``call()`` until it succeeds, storage stays unreachable past the budget, or it fails
    for another reason."""
    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            result = call()
        except Exception as error:
            time.sleep(_next_wait(backoff, attempt, started, error, what))
            continue
        if attempt > 1:
            log.info("%s: storage reachable after %d attempts", what, attempt)
        return result


async def retry_async(call: Callable[[], Awaitable[T]], backoff: Backoff, what: str) -> T:
    """:func:`retry_sync` for a coroutine: the loop keeps running while it waits."""
    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            result = await call()
        except Exception as error:
            await asyncio.sleep(_next_wait(backoff, attempt, started, error, what))
            continue
        if attempt > 1:
            log.info("%s: storage reachable after %d attempts", what, attempt)
        return result
