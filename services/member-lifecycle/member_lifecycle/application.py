"""member-lifecycle's event log: its aggregates and how each is found (the commands that
change them are in ``commands/``)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from jiceng.errors import NotFound
from jiceng.eventlog import EventLog
from member_lifecycle.domain.calendar_notice import CalendarNotice
from member_lifecycle.domain.disclosure import Disclosure
from member_lifecycle.domain.membership import OrgMembership
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.plan import DevelopmentPlan


class MemberLifecycle(EventLog):
    name = "MemberLifecycle"
    aggregate_classes = (OrgMembership, CalendarNotice, Person, DevelopmentPlan, Disclosure)

    def person(self, person: UUID, *, version: int | None = None) -> Person:
        try:
            found: Person = self.repository.get(person, version=version)
        except AggregateNotFoundError as error:
            raise NotFound("resource.not_found", resource="person", id=str(person)) from error
        return found

    def plan(self, org_id: UUID, year: int) -> DevelopmentPlan | None:
        try:
            found: DevelopmentPlan = self.repository.get(DevelopmentPlan.create_id(org_id, year))
        except AggregateNotFoundError:
            return None
        return found

    def membership(self, org_id: UUID) -> OrgMembership | None:
        try:
            found: OrgMembership = self.repository.get(OrgMembership.create_id(org_id))
        except AggregateNotFoundError:
            return None
        return found

    def calendar_notice(self, year: int) -> CalendarNotice | None:
        try:
            found: CalendarNotice = self.repository.get(CalendarNotice.create_id(year))
        except AggregateNotFoundError:
            return None
        return found
