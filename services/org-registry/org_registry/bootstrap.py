"""Composition root of org-registry: settings → event log → read models → API."""

from __future__ import annotations

from jiceng.commands import log_of
from jiceng.copies import MEMBER_COUNTS
from jiceng.definition import ServiceDefinition, SheetImport
from org_registry import PORT, SERVICE, imports_messages, messages
from org_registry.api import export, host_units, meta, organisations, policy, terms, tree, venues
from org_registry.application import OrgRegistry
from org_registry.commands import OrgRegistryHandlers
from org_registry.imports import OrgImporter, default_mapping
from org_registry.projections import follows

service = ServiceDefinition(
    name=SERVICE,
    port=PORT,
    log_class=OrgRegistry,
    title="org-registry",
    description=(
        "The organisation tree (党组织): establishment, affiliation, merger and dissolution; "
        "terms and elections (换届); host units and coverage (两新组织); venues (阵地)."
    ),
    routers=[
        organisations.router,
        policy.router,
        terms.router,
        tree.router,
        export.router,
        host_units.router,
        venues.router,
        meta.router,
    ],
    messages=[messages.MESSAGES, imports_messages.MESSAGES],
    copies=[MEMBER_COUNTS],
    follows=follows,
    imports=[SheetImport("orgs", OrgImporter, default_mapping)],
    handlers=lambda runtime: OrgRegistryHandlers(runtime, log_of(runtime, OrgRegistry)),
)
build_runtime = service.build_runtime
create_app = service.create_app
