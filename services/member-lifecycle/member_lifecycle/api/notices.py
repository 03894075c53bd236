"""``/member-lifecycle/v1/people/{id}/notices/{point}``: 公示 and objections to it."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from jiceng.api.deps import Runtime, Writer
from jiceng.api.problems import COMMON_ERRORS, error_responses
from member_lifecycle.api.records import PersonRecord
from member_lifecycle.api.support import IfMatch, branch_of, load_person, rules_for, run
from member_lifecycle.domain.stages import NoticePoint

router = APIRouter(tags=["public notices"], responses=error_responses(*COMMON_ERRORS))
PATH = "/people/{person_id}/notices/{point}"


class HoldNotice(BaseModel):
    starts_on: date
    working_days: int | None = Field(
        default=None, ge=1, le=60, description="Default: the pack's minimum"
    )
    reason: str | None = Field(default=None, max_length=500)


class Objection(BaseModel):
    received_on: date
    summary: str = Field(min_length=1, max_length=4000)
    reason: str | None = Field(default=None, max_length=500)


class Conclusion(BaseModel):
    concluded_on: date
    upheld: bool = Field(description="Upheld: the step fails; dismissed: it resumes")
    conclusion: str = Field(min_length=1, max_length=4000)
    reason: str | None = Field(default=None, max_length=500)


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
    person = await load_person(runtime, principal, person_id)
    rules = await rules_for(runtime, await branch_of(runtime, person), body.starts_on)
    days = body.working_days or rules.policy.value("development.public_notice_working_days")
    person = await run(
        runtime,
        request,
        response,
        principal,
        person_id,
        lambda p: p.hold_notice(point, body.starts_on, days, rules),
        reason=body.reason,
        if_match=if_match,
        pack=rules.policy.ref,
    )
    return PersonRecord.of(person)


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
    await load_person(runtime, principal, person_id)
    person = await run(
        runtime,
        request,
        response,
        principal,
        person_id,
        lambda p: p.receive_objection(point, body.received_on, body.summary),
        reason=body.reason,
        if_match=if_match,
        pack=None,
    )
    return PersonRecord.of(person)


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
    await load_person(runtime, principal, person_id)
    person = await run(
        runtime,
        request,
        response,
        principal,
        person_id,
        lambda p: p.conclude_objection(point, body.concluded_on, body.upheld, body.conclusion),
        reason=body.reason,
        if_match=if_match,
        pack=None,
    )
    return PersonRecord.of(person)
