"""Composition root of org-registry: settings → event log → read models → API."""

from __future__ import annotations

import org_registry.messages  # noqa: F401  (registers problem texts)
from jiceng.service import ServiceDefinition
from org_registry import SERVICE
from org_registry.api.routes import router
from org_registry.application import OrgRegistry

service = ServiceDefinition(
    name=SERVICE,
    log_class=OrgRegistry,
    title="org-registry",
    description="The organisation tree (党组织): establish, read, rename, list children.",
    routers=[router],
)
build_runtime = service.build_runtime
create_app = service.create_app
