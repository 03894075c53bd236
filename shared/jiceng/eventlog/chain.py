"""The hash chain over a service's log: each digest covers the previous one and the event.

``digest(n) = H(digest(n-1) ‖ canonical bytes of event n)``, starting from
``H("jiceng-audit-chain:" + service)``. Changing, removing or reordering any chained event
changes every digest from it on; the first that differs names the event.
"""

from __future__ import annotations

from jiceng.eventlog import sm3
from jiceng.eventlog.records import FeedEvent, canonical_json

DEFAULT_ALGORITHM = "sm3"


def genesis(service: str, algorithm: str) -> bytes:
    hasher = sm3.new(algorithm)
    hasher.update(f"jiceng-audit-chain:{service}".encode())
    return hasher.digest()


def event_bytes(event: FeedEvent) -> bytes:
    """The canonical bytes of an event as the feed serves it (id, stream, meta, payload)."""
    return canonical_json(event.as_dict())


def link(previous: bytes, event: FeedEvent, algorithm: str) -> bytes:
    hasher = sm3.new(algorithm)
    hasher.update(previous)
    hasher.update(event_bytes(event))
    return hasher.digest()
