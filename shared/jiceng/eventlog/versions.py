"""Optimistic concurrency on a stream: refuse a command based on an old version."""

from __future__ import annotations

from jiceng.errors import StaleVersion


def check_version(expected: int | None, current: int) -> None:
    """Refuse (412) when the caller's version is not the current one; None skips the check."""
    if expected is not None and expected != current:
        raise StaleVersion("concurrency.stale_version", expected=expected, current=current)
