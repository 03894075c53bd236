"""Whether a command's own read models showed its events before it answered.

A command waits until the read models of its service have applied the position of its save
(read-your-writes). When that wait times out, the answer must say so instead of passing for
current: the web layer reads the :class:`Freshness` of the request and answers with
``Jiceng-Read-Models: behind`` and the position the client may wait for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

_current: ContextVar[Freshness | None] = ContextVar("jiceng_freshness", default=None)


@dataclass
class Freshness:
    #: The newest position this request saved and waited for.
    position: int = 0
    #: Whether some wait ended before the read models reached it.
    behind: bool = False

    def waited(self, position: int, reached: bool) -> None:
        self.position = max(self.position, position)
        self.behind = self.behind or not reached


def note_wait(position: int, reached: bool) -> None:
    """Record a read-your-writes wait of the current request (if it is one)."""
    freshness = _current.get()
    if freshness is not None:
        freshness.waited(position, reached)


@contextmanager
def tracking() -> Iterator[Freshness]:
    freshness = Freshness()
    token = _current.set(freshness)
    try:
        yield freshness
    finally:
        _current.reset(token)
