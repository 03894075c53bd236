"""Composition root of funding: settings → event log → read models → API."""

from __future__ import annotations

from funding import PORT, SERVICE
from funding.application import Funding
from jiceng.definition import ServiceDefinition

service = ServiceDefinition(
    name=SERVICE,
    port=PORT,
    log_class=Funding,
    title="funding",
    description=(
        "Dues and work funds. So far: health, feed, and its copy of the organisation tree."
    ),
)
build_runtime = service.build_runtime
create_app = service.create_app
