"""``GET /<svc>/v1/events``: the service's event log as canonical JSON, with long-poll."""

from __future__ import annotations

import asyncio
from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from jiceng.api.deps import FeedReader, Runtime
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.eventlog.records import FeedEvent, FeedPage, canonical_json, read_page

MAX_WAIT_SECONDS = 60.0


class FeedPageModel(BaseModel):
    events: list[FeedEvent]
    next_after: int
    head: int


class FeedHead(BaseModel):
    head: int


router = APIRouter(tags=["feed"], responses=error_responses(*COMMON_ERRORS))


@router.get(
    "/events",
    name="read_events",
    summary="Read the event log after a position (long-poll with wait)",
    response_model=FeedPageModel,
)
async def read_events(
    request: Request,
    runtime: Runtime,
    _principal: FeedReader,
    after: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="Return events with id > after")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    types: Annotated[
        str | None, Query(description="Comma-separated event types, e.g. Organisation.Renamed")
    ] = None,
    wait: Annotated[
        float, Query(ge=0, le=MAX_WAIT_SECONDS, description="Seconds to wait for new events")
    ] = 0,
) -> Response:
    topics: list[str] = []
    if types:
        names = [t.strip() for t in types.split(",") if t.strip()]
        topics = runtime.log.topics_for(names)
        if not topics:
            # Unknown types match nothing: answer an empty page that does not advance.
            head = await anyio.to_thread.run_sync(runtime.log.head)
            return _json(FeedPage([], after, head))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        since = runtime.signal.generation
        page = await anyio.to_thread.run_sync(
            lambda: read_page(runtime.log, after=after, limit=limit, topics=topics)
        )
        remaining = deadline - loop.time()
        if page.events or remaining <= 0 or runtime.draining:
            return _json(page)
        # Wait in short slices so that a reader who went away frees the request promptly.
        changed = await runtime.signal.wait_changed(since, min(remaining, 1.0))
        if not changed and await request.is_disconnected():
            return _json(page)


@router.get(
    "/events/head",
    name="read_events_head",
    summary="Id of the newest event",
    response_model=FeedHead,
)
async def read_head(runtime: Runtime, _principal: FeedReader) -> FeedHead:
    return FeedHead(head=await anyio.to_thread.run_sync(runtime.log.head))


def _json(page: FeedPage) -> Response:
    return Response(canonical_json(page.as_dict()), media_type="application/json")
