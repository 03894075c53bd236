"""Composition root of assessment: settings → event log → read models → API."""

from __future__ import annotations

from fastapi import FastAPI

from assessment import SERVICE
from assessment.application import Assessment
from jiceng.api.app import create_api
from jiceng.eventlog.storage import Storage
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings


def build_runtime(settings: Settings, storage: Storage | None = None) -> ServiceRuntime:
    return ServiceRuntime.build(SERVICE, settings, Assessment, storage=storage)


def create_app(
    settings: Settings | None = None,
    storage: Storage | None = None,
    run_consumers: bool | None = None,
) -> FastAPI:
    runtime = build_runtime(settings or Settings(), storage)
    return create_api(
        runtime,
        [],
        title="assessment",
        description=(
            "Organisational life, study hours, appraisal and ratings."
            " So far: health, feed, and its copy of the organisation tree."
        ),
        run_consumers=run_consumers,
    )
