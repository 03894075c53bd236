"""Composition root of assessment: settings → event log → read models → API."""

from __future__ import annotations

from assessment import PORT, SERVICE
from assessment.application import Assessment
from jiceng.definition import ServiceDefinition

service = ServiceDefinition(
    name=SERVICE,
    port=PORT,
    log_class=Assessment,
    title="assessment",
    description=(
        "Organisational life, study hours, appraisal and ratings. "
        "So far: health, feed, and its copy of the organisation tree."
    ),
)
build_runtime = service.build_runtime
create_app = service.create_app
