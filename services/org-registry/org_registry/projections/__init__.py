"""org-registry's read models, folded from its own log and member-lifecycle's."""

from __future__ import annotations

from jiceng.readmodel.projection import Projection
from jiceng.settings import Settings
from org_registry import SERVICE
from org_registry.projections.host_units import HostUnitsProjection
from org_registry.projections.terms import TermsProjection
from org_registry.projections.venues import VenuesProjection


def follows(_settings: Settings) -> list[tuple[str, Projection]]:
    return [
        (SERVICE, TermsProjection()),
        (SERVICE, HostUnitsProjection()),
        (SERVICE, VenuesProjection()),
    ]
