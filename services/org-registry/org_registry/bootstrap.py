"""Composition root of org-registry: settings → event log → read models → API."""

from __future__ import annotations

from fastapi import FastAPI

import org_registry.messages  # noqa: F401  (registers problem texts)
from jiceng.api.app import create_api
from jiceng.eventlog.storage import Storage
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings
from org_registry import SERVICE
from org_registry.api.routes import router
from org_registry.application import OrgRegistry


def build_runtime(settings: Settings, storage: Storage | None = None) -> ServiceRuntime:
    return ServiceRuntime.build(SERVICE, settings, OrgRegistry, storage=storage)


def create_app(
    settings: Settings | None = None,
    storage: Storage | None = None,
    run_consumers: bool | None = None,
) -> FastAPI:
    runtime = build_runtime(settings or Settings(), storage)
    return create_api(
        runtime,
        [router],
        title="org-registry",
        description="The organisation tree (党组织): establish, read, rename, list children.",
        run_consumers=run_consumers,
    )
