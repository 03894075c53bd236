"""Who caused an event, why, in which request or process, and under which policy pack."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class EventMeta:
    """Attribution written into every stored event (the ``meta`` member of its state).

    ``correlation_id`` groups everything one request or process caused, across services;
    ``causation_id`` names the immediate cause: a request id, or ``<service>:<event id>``
    for an event caused by another service's event. ``traceparent`` is the W3C trace context
    of the span that caused the event, kept only while tracing is on (a follower's span links
    to it).
    """

    actor: str
    reason: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    policy_pack: str | None = None
    traceparent: str | None = None

    def as_dict(self) -> dict[str, Any]:
        # Without tracing the stored attribution is what it was before traces existed.
        return {k: v for k, v in asdict(self).items() if k != "traceparent" or v is not None}

    def with_pack(self, policy_pack: str) -> EventMeta:
        """The same attribution, naming the policy pack whose rule decided."""
        return replace(self, policy_pack=policy_pack)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventMeta:
        return cls(
            **{k: data.get(k) for k in _OPTIONAL},
            actor=str(data["actor"]),
        )


_OPTIONAL = ("reason", "correlation_id", "causation_id", "policy_pack", "traceparent")
