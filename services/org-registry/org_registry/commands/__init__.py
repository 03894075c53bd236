"""org-registry's use cases: a frozen command object per command, one handler method each.

A route builds the command and calls ``OrgRegistryHandlers.<command>(command, caller)``;
the handler checks scope, takes the rules in force, and makes one call that loads, runs the
aggregate's own command method and saves (see :mod:`jiceng.commands`).
"""

from __future__ import annotations

from org_registry.commands.host_units import (
    CoverHostUnit,
    HostUnitHandlers,
    RecordUnitMembers,
    RegisterHostUnit,
)
from org_registry.commands.organisations import (
    AssignPolicyPack,
    DissolveOrganisation,
    EstablishOrganisation,
    MergeOrganisation,
    OrganisationHandlers,
    ReaffiliateOrganisation,
    RenameOrganisation,
    RestoreOrganisation,
)
from org_registry.commands.terms import (
    ApproveLeaders,
    FillVacancy,
    OpenVacancy,
    PostponeTerm,
    RecordElection,
    TermHandlers,
)
from org_registry.commands.venues import RateVenue, RegisterVenue, UpdateVenue, VenueHandlers

__all__ = [
    "ApproveLeaders",
    "AssignPolicyPack",
    "CoverHostUnit",
    "DissolveOrganisation",
    "EstablishOrganisation",
    "FillVacancy",
    "MergeOrganisation",
    "OpenVacancy",
    "OrgRegistryHandlers",
    "PostponeTerm",
    "RateVenue",
    "ReaffiliateOrganisation",
    "RecordElection",
    "RecordUnitMembers",
    "RegisterHostUnit",
    "RegisterVenue",
    "RenameOrganisation",
    "RestoreOrganisation",
    "UpdateVenue",
]


class OrgRegistryHandlers(OrganisationHandlers, TermHandlers, HostUnitHandlers, VenueHandlers):
    """Every org-registry command's handler; ``bootstrap`` builds it with the service's log."""
