"""Who caused an event, why, in which request or process, and under which policy pack."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class EventMeta:
    """Attribution written into every stored event (the ``meta`` member of its state).

    ``correlation_id`` groups everything one request or process caused, across services;
    ``causation_id`` names the immediate cause: a request id, or ``<service>:<event id>``
    for an event caused by another service's event.
    """

    actor: str
    reason: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    policy_pack: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_pack(self, policy_pack: str) -> EventMeta:
        """The same attribution, naming the policy pack whose rule decided."""
        return replace(self, policy_pack=policy_pack)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventMeta:
        return cls(
            **{k: data.get(k) for k in ("reason", "correlation_id", "causation_id", "policy_pack")},
            actor=str(data["actor"]),
        )
