"""Composition root of funding: settings → event log → read models → API."""

from __future__ import annotations

from fastapi import FastAPI

from funding import SERVICE
from funding.application import Funding
from jiceng.api.app import create_api
from jiceng.eventlog.storage import Storage
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings


def build_runtime(settings: Settings, storage: Storage | None = None) -> ServiceRuntime:
    return ServiceRuntime.build(SERVICE, settings, Funding, storage=storage)


def create_app(
    settings: Settings | None = None,
    storage: Storage | None = None,
    run_consumers: bool | None = None,
) -> FastAPI:
    runtime = build_runtime(settings or Settings(), storage)
    return create_api(
        runtime,
        [],
        title="funding",
        description=(
            "Dues and work funds. So far: health, feed, and its copy of the organisation tree."
        ),
        run_consumers=run_consumers,
    )
