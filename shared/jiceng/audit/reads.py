"""Every read an auditor makes is itself an event (who looked at what, when)."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event


class AuditRead(Aggregate):
    """审计查阅记录: one read of the history by an auditor."""

    @event("Recorded")
    def __init__(self, resource: str, query: dict[str, Any]) -> None:
        self.resource = resource
        self.query = query
