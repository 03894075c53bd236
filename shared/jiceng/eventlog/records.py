"""Canonical JSON form of the event log, as the feed serves it and consumers read it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification

_INTERNAL_FIELDS = ("timestamp", "meta", "originator_topic")
#: The feed's type for a stored event that cannot be decoded (corrupt, or a key is missing):
#: it is reported with its id and the reason, so that readers set it aside and go on.
UNDECODABLE = "jiceng.Undecodable"


@dataclass(frozen=True)
class FeedEvent:
    """One event of a service's log, in the shape every reader (service, system, auditor) gets."""

    id: int
    stream_id: str
    stream_version: int
    type: str
    occurred_at: str
    actor: str | None
    correlation_id: str | None
    causation_id: str | None
    reason: str | None
    policy_pack: str | None
    payload: dict[str, Any] = field(default_factory=dict)
    #: W3C trace context of the span that caused the event (present while tracing is on).
    traceparent: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The feed's JSON object. Built field by field: ``dataclasses.asdict`` deep-copies
        the payload, which cost a sixth of serving a page."""
        whole = {
            "id": self.id,
            "stream_id": self.stream_id,
            "stream_version": self.stream_version,
            "type": self.type,
            "occurred_at": self.occurred_at,
            "actor": self.actor,
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
            "reason": self.reason,
            "policy_pack": self.policy_pack,
            "payload": self.payload,
        }
        if self.traceparent is not None:
            whole["traceparent"] = self.traceparent
        return whole

    def occurred_at_datetime(self) -> datetime:
        return datetime.fromisoformat(self.occurred_at)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeedEvent:
        return cls(
            id=int(data["id"]),
            stream_id=str(data["stream_id"]),
            stream_version=int(data["stream_version"]),
            type=str(data["type"]),
            occurred_at=str(data["occurred_at"]),
            actor=data.get("actor"),
            correlation_id=data.get("correlation_id"),
            causation_id=data.get("causation_id"),
            reason=data.get("reason"),
            policy_pack=data.get("policy_pack"),
            payload=dict(data.get("payload") or {}),
            traceparent=data.get("traceparent"),
        )


@dataclass(frozen=True)
class FeedPage:
    events: list[FeedEvent]
    next_after: int
    head: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": [e.as_dict() for e in self.events],
            "next_after": self.next_after,
            "head": self.head,
        }


def jsonable(value: Any) -> Any:
    """Plain JSON value of ``value`` (UUIDs, dates and decimals as strings)."""
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    msg = f"cannot express {type(value).__name__} in canonical JSON"
    raise TypeError(msg)


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same value always gives the same bytes."""
    return json.dumps(
        jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def decode_state(mapper: Mapper[Any], state: bytes) -> dict[str, Any]:
    """The stored state of an event as a dict (decrypted and decompressed as configured)."""
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    decoded: dict[str, Any] = mapper.transcoder.decode(state)
    return decoded


def to_feed_event(mapper: Mapper[Any], notification: Notification) -> FeedEvent:
    state = decode_state(mapper, notification.state)
    meta: dict[str, Any] = state.get("meta") or {}
    timestamp = state.get("timestamp")
    payload = {k: v for k, v in state.items() if k not in _INTERNAL_FIELDS}
    return FeedEvent(
        id=notification.id,
        stream_id=str(notification.originator_id),
        stream_version=notification.originator_version,
        type=notification.topic.split(":", 1)[-1],
        occurred_at=jsonable(timestamp) if timestamp is not None else "",
        actor=meta.get("actor"),
        correlation_id=meta.get("correlation_id"),
        causation_id=meta.get("causation_id"),
        reason=meta.get("reason"),
        policy_pack=meta.get("policy_pack"),
        payload=jsonable(payload),
        traceparent=meta.get("traceparent"),
    )


def feed_event_or_report(mapper: Mapper[Any], notification: Notification) -> FeedEvent:
    """The event as the feed serves it, or, if it cannot be decoded, the report of that."""
    try:
        return to_feed_event(mapper, notification)
    except Exception as error:
        return FeedEvent(
            id=notification.id,
            stream_id=str(notification.originator_id),
            stream_version=notification.originator_version,
            type=UNDECODABLE,
            occurred_at="",
            actor=None,
            correlation_id=None,
            causation_id=None,
            reason=None,
            policy_pack=None,
            payload={
                "topic": notification.topic,
                "error": f"{type(error).__name__}: {str(error)[:200]}",
            },
        )


def read_page(app: Any, *, after: int, limit: int, topics: Sequence[str] = ()) -> FeedPage:
    """Events with id > ``after`` (at most ``limit``), and where the next read starts.

    The head is read first and the select stops there, so ``next_after`` may skip ahead over
    filtered-out events without passing any event that commits later (writers are serialised
    and commit in id order: see eventsourcing's ``_lock_table``).
    """
    head = app.head()
    if head <= after:
        return FeedPage([], after, head)
    notifications = app.recorder.select_notifications(
        start=after, stop=head, limit=limit, topics=topics, inclusive_of_start=False
    )
    events = [feed_event_or_report(app.mapper, n) for n in notifications]
    next_after = events[-1].id if len(events) == limit else head
    return FeedPage(events, next_after, head)
