"""What a follower reports (position, head, lag, dead letters, last error) and how it waits
between tries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class PositionMoved(Exception):
    """Another writer advanced this follower's position first; re-read it."""


@dataclass
class FollowerStatus:
    name: str
    upstream: str
    state: str = "starting"
    position: int = 0
    head: int = 0
    last_error: str | None = None
    dead_letters: int = 0
    pages: int = 0
    last_progress_at: datetime | None = None

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)


@dataclass
class Backoff:
    first: float = 0.2
    cap: float = 5.0
    _next: float = field(init=False, default=0.0)

    def reset(self) -> None:
        self._next = 0.0

    def next_delay(self) -> float:
        self._next = self.first if self._next == 0 else min(self._next * 2, self.cap)
        return self._next
