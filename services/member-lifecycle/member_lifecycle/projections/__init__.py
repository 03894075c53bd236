"""member-lifecycle's read models."""

from __future__ import annotations

from jiceng.readmodel.projection import Projection
from member_lifecycle import SERVICE
from member_lifecycle.projections.calendar_notices import CalendarNoticesProjection
from member_lifecycle.projections.people import PeopleProjection


def follows() -> list[tuple[str, Projection]]:
    return [(SERVICE, CalendarNoticesProjection()), (SERVICE, PeopleProjection())]
