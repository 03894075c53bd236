"""Composition root of member-lifecycle: settings → event log → read models → API."""

from __future__ import annotations

from fastapi import FastAPI

from jiceng.api.app import create_api
from jiceng.eventlog.storage import Storage
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings
from member_lifecycle import SERVICE
from member_lifecycle.api.orgs import router
from member_lifecycle.application import MemberLifecycle


def build_runtime(settings: Settings, storage: Storage | None = None) -> ServiceRuntime:
    return ServiceRuntime.build(SERVICE, settings, MemberLifecycle, storage=storage)


def create_app(
    settings: Settings | None = None,
    storage: Storage | None = None,
    run_consumers: bool | None = None,
) -> FastAPI:
    runtime = build_runtime(settings or Settings(), storage)
    return create_api(
        runtime,
        [router],
        title="member-lifecycle",
        description=(
            "Development of members and membership after admission."
            " So far: its copy of the organisation tree."
        ),
        run_consumers=run_consumers,
    )
