"""Composition root of member-lifecycle: settings → event log → read models → API."""

from __future__ import annotations

from jiceng.service import ServiceDefinition
from member_lifecycle import SERVICE
from member_lifecycle.api.orgs import router
from member_lifecycle.application import MemberLifecycle

service = ServiceDefinition(
    name=SERVICE,
    log_class=MemberLifecycle,
    title="member-lifecycle",
    description=(
        "Development of members and membership after admission. "
        "So far: its copy of the organisation tree."
    ),
    routers=[router],
)
build_runtime = service.build_runtime
create_app = service.create_app
