"""Follow a feed and react with new events, recorded with the upstream position.

The upstream position is eventsourcing's tracking record, written by the process recorder
in the same transaction as the new events: an upstream event's consequences are stored
exactly once. The tracking upsert refuses a position at or below the stored one but accepts
gaps, so two followers reading pages of different lengths could both pass; a subscription
lock therefore lets one follower at a time run (the others wait on standby).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import anyio
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from jiceng.errors import StaleVersion
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.journal import SaveClaim
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.records import FeedEvent
from jiceng.followers.follower import Follower
from jiceng.followers.sources import FeedSource
from jiceng.followers.status import PositionMoved
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.tracing import current_traceparent


class Changes:
    """The aggregates a reaction loads and changes while one page is processed."""

    def __init__(self, app: EventLog) -> None:
        self.app = app
        self._aggregates: dict[UUID, Any] = {}

    def get(self, aggregate_id: UUID) -> Any | None:
        """The aggregate as changed so far in this page (None if it does not exist)."""
        if aggregate_id not in self._aggregates:
            try:
                self._aggregates[aggregate_id] = self.app.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
        return self._aggregates[aggregate_id]

    def add(self, aggregate: Any) -> None:
        self._aggregates[aggregate.id] = aggregate

    @property
    def aggregates(self) -> list[Any]:
        return list(self._aggregates.values())

    def attribute_pending(self, meta: EventMeta) -> None:
        """Attribute the events raised since the last call to ``meta``."""
        for aggregate in self._aggregates.values():
            for event in aggregate.pending_events:
                if "meta" not in vars(event):
                    object.__setattr__(event, "meta", meta.as_dict())


Reaction = Callable[[FeedEvent, Changes], None]


class ReactionFollower(Follower):
    span_verb = "react"

    def __init__(
        self,
        name: str,
        source: FeedSource,
        app: EventLog,
        reaction: Reaction,
        db: ReadModelDatabase,
        *,
        service: str,
        **options: Any,
    ) -> None:
        super().__init__(name, source, db, **options)
        self.app = app
        self.reaction = reaction
        self.service = service

    async def load_position(self) -> int:
        await self.take_lock()
        return await self.peek_position()

    async def peek_position(self) -> int:
        return await anyio.to_thread.run_sync(self.app.tracked_position, self.source.upstream)

    def _meta_for(self, event: FeedEvent) -> EventMeta:
        return EventMeta(
            actor=f"service:{self.service}",
            reason=f"{self.source.upstream} {event.type}",
            correlation_id=event.correlation_id,
            causation_id=f"{self.source.upstream}:{event.id}",
            traceparent=current_traceparent(),
        )

    async def commit(self, events: Sequence[FeedEvent], start: int, new_position: int) -> None:
        if not self.holds_lock():
            raise PositionMoved(self.name)

        def record() -> None:
            changes = Changes(self.app)
            for event in events:
                self.reaction(event, changes)
                changes.attribute_pending(self._meta_for(event))
            tracking = Tracking(self.source.upstream, new_position)
            self.app.save_processed(
                tracking, *changes.aggregates, meta=EventMeta(actor=f"service:{self.service}")
            )

        try:
            await anyio.to_thread.run_sync(record)
        except StaleVersion as error:
            # The tracking record is already at or past new_position, or an aggregate was
            # changed by someone else meanwhile: re-read the position and the aggregates.
            raise PositionMoved(self.name) from error

    async def reapply(self, event: FeedEvent) -> None:
        scope = hashlib.sha256(f"dead-letter|{self.name}|{event.id}".encode()).hexdigest()
        claim = SaveClaim(scope, 1, "dead-letter")

        def record() -> None:
            if self.app.recorded_save(claim) is not None:
                return  # reacted already, before a crash
            changes = Changes(self.app)
            self.reaction(event, changes)
            changes.attribute_pending(self._meta_for(event))
            if any(a.pending_events for a in changes.aggregates):
                meta = EventMeta(actor=f"service:{self.service}", reason="dead letter retried")
                self.app.save(*changes.aggregates, meta=meta, claim=claim)

        await anyio.to_thread.run_sync(record)

    async def skip(self, event: FeedEvent, start: int) -> None:
        tracking = Tracking(self.source.upstream, event.id)
        await anyio.to_thread.run_sync(
            lambda: self.app.save_processed(tracking, meta=EventMeta(actor="none"))
        )
