"""``/member-lifecycle/v1/calendar``: working days, and the notices administrators record."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from jiceng.api.deps import CurrentPrincipal, Runtime
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from jiceng.auth.principal import Role
from jiceng.calendar import Notice
from jiceng.commands import Caller
from jiceng.workingdays.queries import working_day_calendar
from member_lifecycle.api.support import Lifecycle, unversioned_caller
from member_lifecycle.commands.organisations import RecordCalendarNotice

router = APIRouter(tags=["calendar"], responses=error_responses(*COMMON_ERRORS))
PlatformAdmin = Annotated[Caller, Depends(unversioned_caller(Role.PLATFORM_ADMIN))]


class RecordNotice(BaseModel):
    year: int = Field(ge=2000, le=2100)
    days_off: list[Day] = Field(
        max_length=366, description="Weekdays off (holidays and substituted days)"
    )
    workdays: list[Day] = Field(max_length=366, description="Weekend days worked (调休)")
    source: str = Field(min_length=1, max_length=500, description="The notice, e.g. 国办发明电")
    reason: str | None = Field(default=None, max_length=500)


class YearView(BaseModel):
    year: int
    official: bool
    source: str | None
    days_off: list[date]
    workdays: list[date]


class Deadline(BaseModel):
    start: date
    working_days: int
    ends_on: date = Field(description="The day the last working day of the period falls on")


class WorkingDayCount(BaseModel):
    first: date
    last: date
    working_days: int


@router.post(
    "/calendar/notices",
    name="record_calendar_notice",
    summary="Record (or amend) a year's official holiday notice",
    response_model=YearView,
    responses=error_responses(422),
)
async def record_notice(
    body: RecordNotice, runtime: Runtime, caller: PlatformAdmin, handlers: Lifecycle
) -> YearView:
    notice = Notice(body.year, frozenset(body.days_off), frozenset(body.workdays), body.source)
    await handlers.record_calendar_notice(RecordCalendarNotice(notice), caller.because(body.reason))
    return await year_view(runtime, body.year)


@router.get(
    "/calendar/years/{year}",
    name="get_calendar_year",
    summary="A year's schedule: official or not, days off and 调休 workdays",
    response_model=YearView,
)
async def get_year(
    year: Annotated[int, Path(ge=1900, le=2199)], runtime: Runtime, _principal: CurrentPrincipal
) -> YearView:
    return await year_view(runtime, year)


async def year_view(runtime: Runtime, year: int) -> YearView:
    calendar = await working_day_calendar(runtime.db)
    notice = calendar.notices.get(year)
    if notice is None:
        return YearView(year=year, official=False, source=None, days_off=[], workdays=[])
    return YearView(
        year=year,
        official=True,
        source=notice.source,
        days_off=sorted(notice.days_off),
        workdays=sorted(notice.workdays),
    )


@router.get(
    "/calendar/deadline",
    name="compute_deadline",
    summary="When a period of N working days starting on a date ends (e.g. 公示)",
    response_model=Deadline,
    responses=error_responses(422),
)
async def deadline(
    runtime: Runtime,
    _principal: CurrentPrincipal,
    start: Day,
    working_days: Annotated[int, Query(ge=1, le=400)],
) -> Deadline:
    calendar = await working_day_calendar(runtime.db)
    return Deadline(
        start=start,
        working_days=working_days,
        ends_on=calendar.nth_working_day(start, working_days),
    )


@router.get(
    "/calendar/working-days",
    name="count_working_days",
    summary="Working days from first to last, both included",
    response_model=WorkingDayCount,
    responses=error_responses(422),
)
async def count(
    runtime: Runtime, _principal: CurrentPrincipal, first: Day, last: Day
) -> WorkingDayCount:
    calendar = await working_day_calendar(runtime.db)
    return WorkingDayCount(
        first=first, last=last, working_days=calendar.count_working_days(first, last)
    )
