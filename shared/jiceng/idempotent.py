"""The request being served under an ``Idempotency-Key``, as the command layer sees it.

The web middleware opens one :class:`IdempotentRequest` per keyed POST; every save a handler
makes for it takes the next :class:`~jiceng.eventlog.journal.SaveClaim`, which the log records
in the save's own transaction. A retry finds each save's claim already recorded and answers
from it instead of running the command again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from jiceng.eventlog.journal import SaveClaim

_current: ContextVar[IdempotentRequest | None] = ContextVar("jiceng_idempotent", default=None)


@dataclass
class IdempotentRequest:
    scope: str
    request_hash: str
    _saves: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def next_claim(self) -> SaveClaim:
        with self._lock:
            self._saves += 1
            return SaveClaim(self.scope, self._saves, self.request_hash)


def next_claim() -> SaveClaim | None:
    """The claim of the current keyed request's next save (``None`` without a key)."""
    request = _current.get()
    return request.next_claim() if request is not None else None


@contextmanager
def serving(request: IdempotentRequest) -> Iterator[IdempotentRequest]:
    token = _current.set(request)
    try:
        yield request
    finally:
        _current.reset(token)
