"""member-lifecycle's read models."""

from __future__ import annotations

from jiceng.personal import sealer_for
from jiceng.readmodel.projection import Projection
from jiceng.settings import Settings
from member_lifecycle import SERVICE
from member_lifecycle.projections.people import PeopleProjection


def follows(settings: Settings) -> list[tuple[str, Projection]]:
    return [
        (SERVICE, PeopleProjection(sealer_for(settings))),
    ]
