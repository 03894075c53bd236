"""Composition root of member-lifecycle: settings → event log → read models → API."""

from __future__ import annotations

import member_lifecycle.messages  # noqa: F401  (registers problem texts)
from jiceng.service import ServiceDefinition
from member_lifecycle import SERVICE
from member_lifecycle.api import calendar, member_counts, orgs, people
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.projections import follows
from member_lifecycle.reactions import reactions

service = ServiceDefinition(
    name=SERVICE,
    log_class=MemberLifecycle,
    title="member-lifecycle",
    description=(
        "Development of members and membership after admission. So far: its copy of the "
        "organisation tree, the register of people, member counts per organisation "
        "(published for the others), and the working-day calendar."
    ),
    routers=[orgs.router, member_counts.router, calendar.router, people.router],
    follows=follows,
    reacts=reactions,
)
build_runtime = service.build_runtime
create_app = service.create_app
