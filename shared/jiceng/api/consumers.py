"""ProjectionFollower positions, lag and dead letters, for operators and auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import select

from jiceng.api.deps import Runtime, require_unscoped
from jiceng.api.health import follower_views, readiness_of
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, encode_cursor
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.auth.principal import Principal, Role
from jiceng.followers.retrying import retry_dead_letters
from jiceng.readmodel.tables import dead_letters

#: Dead letters hold whole events of every organisation: unscoped readers only.
Operator = Annotated[
    Principal, Depends(require_unscoped(Role.PLATFORM_ADMIN, Role.AUDITOR, Role.SYSTEM))
]
router = APIRouter(tags=["consumers"], responses=error_responses(*COMMON_ERRORS))


class ConsumerView(BaseModel):
    name: str
    upstream: str
    state: str
    position: int
    head: int
    lag: int
    dead_letters: int
    last_error: str | None
    last_progress_at: datetime | None


class DeadLetterView(BaseModel):
    id: int
    consumer: str
    event_id: int
    event_type: str
    stream_id: str
    error: str
    attempts: int
    recorded_at: datetime
    event: dict[str, Any]


@router.get(
    "/consumers",
    name="list_consumers",
    summary="Feeds this service follows",
    response_model=list[ConsumerView],
)
async def list_consumers(
    request: Request, runtime: Runtime, _principal: Operator
) -> list[ConsumerView]:
    """As ``/readyz`` shows them: a subscription applied by another process (followers
    apart, or this one on standby) at its stored position, with its dead letters."""
    try:
        own_head: int | None = await readiness_of(request, runtime).head()
    except Exception:  # storage out of reach: what this process knows
        own_head = None
    views = await follower_views(runtime, own_head, own_head is not None)
    return [
        ConsumerView(
            name=c.name,
            upstream=c.status.upstream,
            last_progress_at=c.status.last_progress_at,
            **views[c.name],
        )
        for c in runtime.followers.values()
    ]


@router.get(
    "/consumers/dead-letters",
    name="list_dead_letters",
    summary="Events a consumer could not apply and set aside",
    response_model=Page[DeadLetterView],
)
async def list_dead_letters(
    runtime: Runtime,
    _principal: Operator,
    consumer: Annotated[str | None, Query(description="Only this consumer")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[DeadLetterView]:
    query = select(dead_letters).order_by(dead_letters.c.id).limit(limit + 1)
    if consumer:
        query = query.where(dead_letters.c.consumer == consumer)
    key = decode_cursor(cursor, (int,))
    if key:
        query = query.where(dead_letters.c.id > key[0])
    async with runtime.db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    items = [DeadLetterView.model_validate(row._asdict()) for row in rows[:limit]]
    next_cursor = encode_cursor([items[-1].id]) if len(rows) > limit else None
    return Page[DeadLetterView](items=items, next_cursor=next_cursor)


class RetriedView(BaseModel):
    consumer: str
    event_id: int
    applied: bool
    error: str | None


@router.post(
    "/consumers/dead-letters/retry",
    name="retry_dead_letters",
    summary="Apply dead-lettered events again, after the cause was fixed",
    response_model=list[RetriedView],
)
async def retry(
    runtime: Runtime,
    _principal: Annotated[Principal, Depends(require_unscoped(Role.PLATFORM_ADMIN))],
    consumer: Annotated[str | None, Query(max_length=100, description="Only this consumer")] = None,
    event_id: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="Only this event id")
    ] = None,
) -> list[RetriedView]:
    results = await retry_dead_letters(
        runtime.followers, runtime.db, consumer=consumer, event_id=event_id
    )
    return [RetriedView.model_validate(vars(r)) for r in results]
