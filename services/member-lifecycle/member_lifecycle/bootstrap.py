"""Composition root of member-lifecycle: settings → event log → read models → API."""

from __future__ import annotations

from jiceng.commands import log_of
from jiceng.copies import WORKING_DAYS
from jiceng.definition import ServiceDefinition, SheetImport
from jiceng.runtime import ServiceRuntime
from member_lifecycle import (
    PORT,
    SERVICE,
    imports_messages,
    messages,
    messages_development,
    messages_membership,
)
from member_lifecycle.api import (
    calendar,
    development,
    export,
    member_counts,
    membership,
    meta,
    notices,
    orgs,
    people,
    plans,
    queries,
    records,
    to_do,
    voting_roll,
)
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.commands.handlers import MemberLifecycleHandlers
from member_lifecycle.imports import PeopleImporter, default_mapping
from member_lifecycle.projections import follows
from member_lifecycle.reactions import reactions


def handlers_for(runtime: ServiceRuntime) -> MemberLifecycleHandlers:
    """The command handlers, on the log this runtime was built with."""
    return MemberLifecycleHandlers(runtime, log_of(runtime, MemberLifecycle))


service = ServiceDefinition(
    name=SERVICE,
    port=PORT,
    log_class=MemberLifecycle,
    title="member-lifecycle",
    description=(
        "Development of members (the 25 steps from application to full membership, with "
        "公示 and 票决) and membership after admission (transfers, mobile members, lost "
        "contact, rectification, exits); member counts per organisation, published for "
        "the other services; the working-day calendar."
    ),
    routers=[
        orgs.router,
        member_counts.router,
        calendar.router,
        people.router,
        records.router,
        development.router,
        notices.router,
        membership.router,
        queries.router,
        to_do.router,
        export.router,
        voting_roll.router,
        plans.router,
        meta.router,
    ],
    messages=[
        messages.MESSAGES,
        messages_development.MESSAGES,
        messages_membership.MESSAGES,
        imports_messages.MESSAGES,
    ],
    copies=[WORKING_DAYS],
    follows=follows,
    reacts=reactions,
    imports=[SheetImport("people", PeopleImporter, default_mapping)],
    handlers=handlers_for,
)
build_runtime = service.build_runtime
create_app = service.create_app
