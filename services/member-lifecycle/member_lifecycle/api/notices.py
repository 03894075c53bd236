"""``/member-lifecycle/v1/people/{id}/notices/{point}``: 公示 and objections to it."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from jiceng.api.concurrency import etag
from jiceng.api.deps import CommandCaller
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from member_lifecycle.api.records import PersonRecord
from member_lifecycle.api.support import Lifecycle
from member_lifecycle.commands import development as commands
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import NoticePoint

router = APIRouter(tags=["public notices"], responses=error_responses(*COMMON_ERRORS))
PATH = "/people/{person_id}/notices/{point}"


class HoldNotice(BaseModel):
    starts_on: Day
    working_days: int | None = Field(
        default=None, ge=1, le=60, description="Default: the pack's minimum"
    )
    reason: str | None = Field(default=None, max_length=500)


class Objection(BaseModel):
    received_on: Day
    summary: str = Field(min_length=1, max_length=4000)
    reason: str | None = Field(default=None, max_length=500)


class Conclusion(BaseModel):
    concluded_on: Day
    upheld: bool = Field(description="Upheld: the step fails; dismissed: it resumes")
    conclusion: str = Field(min_length=1, max_length=4000)
    reason: str | None = Field(default=None, max_length=500)


def _recorded(person: Person, response: Response, handlers: Lifecycle) -> PersonRecord:
    response.headers["ETag"] = etag(person.version)
    return PersonRecord.of(person, handlers.today)


@router.post(
    PATH,
    name="hold_public_notice",
    summary="Start a 公示 (ends after the pack's working days, holidays and 调休 counted)",
    response_model=PersonRecord,
    responses=error_responses(404, 412, 422),
)
async def hold_notice(
    person_id: UUID,
    point: NoticePoint,
    body: HoldNotice,
    response: Response,
    caller: CommandCaller,
    handlers: Lifecycle,
) -> PersonRecord:
    command = commands.HoldNotice(person_id, point, body.starts_on, body.working_days)
    return _recorded(
        await handlers.hold_notice(command, caller.because(body.reason)), response, handlers
    )


@router.post(
    f"{PATH}/objections",
    name="receive_objection",
    summary="An objection during the 公示: suspends the step until concluded",
    response_model=PersonRecord,
    responses=error_responses(404, 412, 422),
)
async def receive_objection(
    person_id: UUID,
    point: NoticePoint,
    body: Objection,
    response: Response,
    caller: CommandCaller,
    handlers: Lifecycle,
) -> PersonRecord:
    command = commands.ReceiveObjection(person_id, point, body.received_on, body.summary)
    return _recorded(
        await handlers.receive_objection(command, caller.because(body.reason)), response, handlers
    )


@router.post(
    f"{PATH}/objections/conclusion",
    name="conclude_objection",
    summary="Conclude the objection: upheld (the step fails) or dismissed (it resumes)",
    response_model=PersonRecord,
    responses=error_responses(404, 412, 422),
)
async def conclude_objection(
    person_id: UUID,
    point: NoticePoint,
    body: Conclusion,
    response: Response,
    caller: CommandCaller,
    handlers: Lifecycle,
) -> PersonRecord:
    command = commands.ConcludeObjection(
        person_id, point, body.concluded_on, body.upheld, body.conclusion
    )
    return _recorded(
        await handlers.conclude_objection(command, caller.because(body.reason)), response, handlers
    )
