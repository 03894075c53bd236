"""``/<svc>/v1/audit``: history, past states, correlations and checkpoints, for auditors.

Every read here is itself recorded on the service's log (``AuditRead.Recorded``).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import anyio
from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from jiceng.api.deps import Runtime, event_meta, require_roles
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Moment
from jiceng.audit.history import state_at, stream_history
from jiceng.audit.index import audit_checkpoints, audit_events
from jiceng.audit.reads import AuditRead
from jiceng.auth.principal import Principal, Role
from jiceng.eventlog.records import jsonable, to_feed_event
from jiceng.runtime import ServiceRuntime

Auditor = Annotated[Principal, Depends(require_roles(Role.AUDITOR, Role.PLATFORM_ADMIN))]
router = APIRouter(prefix="/audit", tags=["audit"], responses=error_responses(*COMMON_ERRORS, 404))


async def record_read(
    runtime: ServiceRuntime,
    request: Request,
    principal: Principal,
    resource: str,
    query: dict[str, Any],
) -> None:
    """Who looked at what: an event on the service's own log."""
    read = AuditRead(resource=resource, query=jsonable(query))
    meta = event_meta(request, principal, "audit read")
    await anyio.to_thread.run_sync(lambda: runtime.log.save(read, meta=meta))


@router.get(
    "/streams/{stream_id}",
    name="audit_stream_history",
    summary="Every event of one stream, with attribution and before/after of each change",
)
async def stream(
    stream_id: UUID, request: Request, runtime: Runtime, principal: Auditor
) -> list[dict[str, Any]]:
    history = await anyio.to_thread.run_sync(lambda: stream_history(runtime.log, stream_id))
    await record_read(runtime, request, principal, f"streams/{stream_id}", {})
    return history


@router.get(
    "/streams/{stream_id}/state",
    name="audit_stream_state",
    summary="The stream's state rebuilt from its events at a version or a moment",
)
async def state(
    stream_id: UUID,
    request: Request,
    runtime: Runtime,
    principal: Auditor,
    version: Annotated[int | None, Query(ge=1)] = None,
    at: Annotated[Moment | None, Query(description="ISO 8601 with offset")] = None,
) -> dict[str, Any]:
    result = await anyio.to_thread.run_sync(
        lambda: state_at(runtime.log, stream_id, version=version, at=at)
    )
    await record_read(
        runtime, request, principal, f"streams/{stream_id}/state", {"version": version, "at": at}
    )
    return result


@router.get(
    "/correlations/{correlation_id}",
    name="audit_correlation",
    summary="Everything one request or process caused in this service's log",
)
async def correlation(
    correlation_id: str,
    request: Request,
    runtime: Runtime,
    principal: Auditor,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[dict[str, Any]]:
    query = (
        select(audit_events.c.event_id)
        .where(audit_events.c.correlation_id == correlation_id)
        .order_by(audit_events.c.event_id)
        .limit(limit)
    )
    async with runtime.db.engine.connect() as conn:
        ids = [int(r[0]) for r in (await conn.execute(query)).all()]

    def load() -> list[dict[str, Any]]:
        found = []
        for event_id in ids:
            [notification] = runtime.log.recorder.select_notifications(start=event_id, limit=1)
            found.append(to_feed_event(runtime.log.mapper, notification).as_dict())
        return found

    events = await anyio.to_thread.run_sync(load)
    await record_read(runtime, request, principal, f"correlations/{correlation_id}", {})
    return events


@router.get(
    "/checkpoints",
    name="audit_list_checkpoints",
    summary="Signed checkpoints of this service's hash chain, newest first",
)
async def checkpoints(
    request: Request,
    runtime: Runtime,
    principal: Auditor,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> list[dict[str, Any]]:
    query = select(audit_checkpoints).order_by(audit_checkpoints.c.event_id.desc()).limit(limit)
    async with runtime.db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    await record_read(runtime, request, principal, "checkpoints", {"limit": limit})
    return [jsonable(r._asdict()) for r in rows]


@router.post(
    "/checkpoints",
    name="audit_sign_checkpoint",
    summary="Sign a checkpoint of the chain's head now (published on the feed)",
)
async def sign(request: Request, runtime: Runtime, principal: Auditor) -> dict[str, Any] | None:
    assert runtime.auditor is not None
    await runtime.follower_for(runtime.name, "audit_index").catch_up()
    return await runtime.auditor.sign_checkpoint(event_meta(request, principal, "on demand"))
