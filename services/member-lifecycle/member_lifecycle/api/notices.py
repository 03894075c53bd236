"""``/member-lifecycle/v1/people/{id}/notices/{point}``: 公示 and objections to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from jiceng.api.deps import Runtime, Writer
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from member_lifecycle.api.records import PersonRecord
from member_lifecycle.api.support import IfMatch, command_on_person
from member_lifecycle.domain.decision import Rules
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


async def _record(
    runtime: Runtime,
    request: Request,
    response: Response,
    principal: Writer,
    person_id: UUID,
    on: date,
    command: Callable[[Person, Rules], None],
    reason: str | None,
    if_match: str | None,
) -> PersonRecord:
    person = await command_on_person(
        runtime,
        request,
        response,
        principal,
        person_id,
        on,
        lambda p, rules, _: command(p, rules),
        reason=reason,
        if_match=if_match,
    )
    return PersonRecord.of(person)


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
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    def hold(p: Person, rules: Rules) -> None:
        minimum = rules.policy.value("development.public_notice_working_days")
        p.hold_notice(point, body.starts_on, body.working_days or minimum, rules)

    return await _record(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.starts_on,
        hold,
        body.reason,
        if_match,
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
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    def receive(p: Person, _rules: Rules) -> None:
        p.receive_objection(point, body.received_on, body.summary)

    return await _record(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.received_on,
        receive,
        body.reason,
        if_match,
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
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    def conclude(p: Person, _rules: Rules) -> None:
        p.conclude_objection(point, body.concluded_on, body.upheld, body.conclusion)

    return await _record(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.concluded_on,
        conclude,
        body.reason,
        if_match,
    )
