"""History of one stream rebuilt from its events: what each event changed, and past states."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from jiceng.errors import NotFound
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.records import jsonable

_HIDDEN = {"_pending_events", "_version", "_modified_on", "_created_on", "_id"}


def plain(value: Any) -> Any:
    """A JSON-friendly copy of aggregate state (dataclasses, sets, enums included)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (UUID, date, datetime, Decimal)):
        return jsonable(value)
    return value


def snapshot(aggregate: Any) -> dict[str, Any]:
    if aggregate is None:
        return {}
    return {k.lstrip("_"): plain(v) for k, v in vars(aggregate).items() if k not in _HIDDEN}


def _events(app: EventLog, stream_id: UUID) -> list[Any]:
    events = list(app.events.get(stream_id))
    if not events:
        raise NotFound("resource.not_found", resource="stream", id=str(stream_id))
    return events


def stream_history(app: EventLog, stream_id: UUID) -> list[dict[str, Any]]:
    """Every event of the stream with its attribution and the fields it changed."""
    history: list[dict[str, Any]] = []
    aggregate: Any = None
    for event in _events(app, stream_id):
        before = snapshot(aggregate)
        aggregate = event.mutate(aggregate)
        after = snapshot(aggregate)
        meta: dict[str, Any] = getattr(event, "meta", None) or {}
        changes = {
            key: {"before": before.get(key), "after": after.get(key)}
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        }
        history.append(
            {
                "version": event.originator_version,
                "type": type(event).__qualname__,
                "occurred_at": jsonable(event.timestamp),
                "actor": meta.get("actor"),
                "reason": meta.get("reason"),
                "correlation_id": meta.get("correlation_id"),
                "causation_id": meta.get("causation_id"),
                "policy_pack": meta.get("policy_pack"),
                "changes": changes,
            }
        )
    return history


def state_at(
    app: EventLog, stream_id: UUID, *, version: int | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """The stream's state after ``version``, or as it stood at the moment ``at``."""
    events = _events(app, stream_id)
    if at is not None:
        reached = [e.originator_version for e in events if e.timestamp <= at]
        if not reached:
            raise NotFound("audit.stream_not_yet_created", id=str(stream_id), at=at)
        version = reached[-1]
    version = version or events[-1].originator_version
    if version > events[-1].originator_version:
        raise NotFound(
            "audit.version_not_reached",
            id=str(stream_id),
            version=version,
            latest=events[-1].originator_version,
        )
    aggregate: Any = None
    for event in events[:version]:
        aggregate = event.mutate(aggregate)
    return {
        "stream_id": str(stream_id),
        "version": version,
        "type": type(aggregate).__qualname__,
        "state": snapshot(aggregate),
        "as_of": jsonable(events[version - 1].timestamp),
    }
