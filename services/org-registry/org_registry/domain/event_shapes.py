"""The stored shapes of an organisation's events that changed over time, and how an event
stored in an older shape still loads (eventsourcing's class versions and upcasters).

Auditors replay years of events: a shape changed here keeps loading the old one. The
aggregate's own event classes (``Organisation.Established`` …) extend these, so the topics
stored with the events stay those of :mod:`org_registry.domain.organisation`.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from org_registry.domain.sources import ImportSource
from org_registry.domain.types import OrgDomain, OrgType


class EstablishedShape(Aggregate.Created):
    """成立. Version 2 added ``source``: the spreadsheet row an import established the
    organisation from (``None`` when established otherwise, and in version 1 events)."""

    class_version = 2

    name: str
    org_type: OrgType
    domain: OrgDomain
    parent_id: UUID | None
    established_on: date | None
    short_name: str | None
    code: str | None
    region_code: str | None
    student_branch: bool
    source: ImportSource | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["source"] = None


class RenamedShape(Aggregate.Event):
    """更名. Version 2 added ``source``, as :class:`EstablishedShape` did."""

    class_version = 2

    name: str
    short_name: str | None
    source: ImportSource | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["source"] = None
