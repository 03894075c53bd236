"""The hash chain over a service's log: each digest covers the previous one and the event.

``digest(n) = H(digest(n-1) ‖ canonical bytes of event n)``, starting from
``H("jiceng-audit-chain:" + service)``. Changing, removing or reordering any chained event
changes every digest from it on; the first that differs names the event.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, MetaData, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.audit import sm3
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


metadata = MetaData()

audit_chain = Table(
    "audit_chain",
    metadata,
    Column("event_id", BigInteger, primary_key=True),
    Column("digest", String(64), nullable=False),
)


class ChainProjection:
    """Chains each event of the service's own log as it is read (seconds after it is written)."""

    name = "audit_chain"
    version = 1
    metadata = metadata

    def __init__(self, service: str, algorithm: str = DEFAULT_ALGORITHM) -> None:
        self.service = service
        self.algorithm = algorithm

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        last = (
            await conn.execute(
                select(audit_chain.c.digest).order_by(audit_chain.c.event_id.desc()).limit(1)
            )
        ).scalar_one_or_none()
        previous = bytes.fromhex(last) if last else genesis(self.service, self.algorithm)
        digest = link(previous, event, self.algorithm)
        await conn.execute(insert(audit_chain).values(event_id=event.id, digest=digest.hex()))
