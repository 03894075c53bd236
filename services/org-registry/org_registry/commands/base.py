"""What every org-registry handler shares: the kernel's steps, and reading its aggregates."""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from jiceng.commands import Handlers
from org_registry.application import OrgRegistry


class RegistryHandlers(Handlers[OrgRegistry]):
    """The base of org-registry's handler mixins (one per resource)."""


def changed(*aggregates: Aggregate | None) -> list[Aggregate]:
    """The other aggregates a command changed, leaving out the parent a root does not have."""
    return [a for a in aggregates if a is not None]
