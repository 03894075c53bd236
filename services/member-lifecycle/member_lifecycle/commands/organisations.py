"""What an organisation records here: its annual development plan (年度发展计划) and a
baseline of its member counts (党内统计); and the year's holiday notice of the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from jiceng.calendar import Notice
from jiceng.commands import Caller
from member_lifecycle.commands.base import LifecycleHandlers
from member_lifecycle.domain.calendar_notice import CalendarNotice
from member_lifecycle.domain.membership import OrgMembership
from member_lifecycle.domain.plan import DevelopmentPlan


@dataclass(frozen=True)
class SetPlan:
    """Set (or revise) an organisation's plan for a year."""

    org_id: UUID
    year: int
    quota: int


@dataclass(frozen=True)
class RecordMemberCounts:
    """An organisation's member counts as of a date (a baseline, e.g. 党内统计)."""

    org_id: UUID
    formal: int
    probationary: int
    activists: int
    candidates: int
    applicants: int
    as_of: date


@dataclass(frozen=True)
class RecordCalendarNotice:
    """Publish a year's official holiday notice, or amend the one recorded."""

    notice: Notice


class OrganisationHandlers(LifecycleHandlers):
    async def set_plan(self, command: SetPlan, caller: Caller) -> DevelopmentPlan:
        await self.visible(caller, command.org_id)

        def set_or_revise() -> DevelopmentPlan:
            plan = self.log.plan(command.org_id, command.year)
            if plan is None:
                return DevelopmentPlan(
                    org_id=command.org_id, year=command.year, quota=command.quota
                )
            plan.revise(command.quota)
            return plan

        return await self.create(caller, set_or_revise)

    async def record_member_counts(
        self, command: RecordMemberCounts, caller: Caller
    ) -> OrgMembership:
        await self.visible(caller, command.org_id)

        def record() -> OrgMembership:
            membership = self.log.membership(command.org_id) or OrgMembership(org_id=command.org_id)
            membership.record(
                formal=command.formal,
                probationary=command.probationary,
                activists=command.activists,
                candidates=command.candidates,
                applicants=command.applicants,
                as_of=command.as_of,
            )
            return membership

        return await self.create(caller, record)

    async def record_calendar_notice(
        self, command: RecordCalendarNotice, caller: Caller
    ) -> CalendarNotice:
        notice = command.notice

        def publish_or_amend() -> CalendarNotice:
            recorded = self.log.calendar_notice(notice.year)
            if recorded is None:
                return CalendarNotice.publish(notice)
            recorded.amend(notice)
            return recorded

        return await self.create(caller, publish_or_amend)
