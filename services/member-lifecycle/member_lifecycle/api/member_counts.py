"""``/member-lifecycle/v1/orgs/{id}/member-counts``: an organisation's member counts."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import anyio
from fastapi import APIRouter
from pydantic import BaseModel, Field

from jiceng.api.deps import CurrentPrincipal, Runtime, visible_org
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day, MemberCount
from jiceng.errors import NotFound
from member_lifecycle.api.support import Lifecycle, NewRecordCaller, lifecycle
from member_lifecycle.commands.organisations import RecordMemberCounts
from member_lifecycle.domain.membership import OrgMembership

router = APIRouter(tags=["member counts"], responses=error_responses(*COMMON_ERRORS))
PATH = "/orgs/{org_id}/member-counts"


class MemberCounts(BaseModel):
    formal: MemberCount = Field(description="正式党员")
    probationary: MemberCount = Field(description="预备党员")
    activists: MemberCount = Field(default=0, description="入党积极分子")
    candidates: MemberCount = Field(default=0, description="发展对象")
    applicants: MemberCount = Field(default=0, description="入党申请人")
    as_of: Day
    reason: str | None = Field(default=None, max_length=500)


class MemberCountsView(BaseModel):
    org_id: UUID
    formal: int
    probationary: int
    activists: int
    candidates: int
    applicants: int
    as_of: date

    @classmethod
    def of(cls, m: OrgMembership) -> MemberCountsView:
        assert m.as_of is not None
        return cls(
            org_id=m.org_id,
            formal=m.formal,
            probationary=m.probationary,
            activists=m.activists,
            candidates=m.candidates,
            applicants=m.applicants,
            as_of=m.as_of,
        )


@router.post(
    PATH,
    name="record_member_counts",
    summary="Record an organisation's member counts (baseline, e.g. 党内统计)",
    response_model=MemberCountsView,
    responses=error_responses(404),
)
async def record_member_counts(
    org_id: UUID, body: MemberCounts, caller: NewRecordCaller, handlers: Lifecycle
) -> MemberCountsView:
    command = RecordMemberCounts(org_id, **body.model_dump(exclude={"reason"}))
    counted = await handlers.record_member_counts(command, caller.because(body.reason))
    return MemberCountsView.of(counted)


@router.get(
    PATH,
    name="get_member_counts",
    summary="An organisation's latest member counts",
    response_model=MemberCountsView,
    responses=error_responses(404),
)
async def get_member_counts(
    org_id: UUID, runtime: Runtime, principal: CurrentPrincipal
) -> MemberCountsView:
    await visible_org(runtime, principal, org_id)
    membership = await anyio.to_thread.run_sync(lambda: lifecycle(runtime).membership(org_id))
    if membership is None:
        raise NotFound("resource.not_found", resource="member_counts", id=str(org_id))
    return MemberCountsView.of(membership)
