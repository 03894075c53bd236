"""member-lifecycle's commands: load → act → save."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from jiceng.calendar import Notice
from jiceng.errors import Conflict, NotFound, StaleVersion
from jiceng.eventlog import EventLog, EventMeta
from member_lifecycle.domain.calendar_notice import CalendarNotice
from member_lifecycle.domain.membership import OrgMembership
from member_lifecycle.domain.person import Person


class MemberLifecycle(EventLog):
    name = "MemberLifecycle"
    aggregate_classes = (OrgMembership, CalendarNotice, Person)

    def person(self, person: UUID) -> Person:
        try:
            found: Person = self.repository.get(person)
        except AggregateNotFoundError as error:
            raise NotFound("resource.not_found", resource="person", id=str(person)) from error
        return found

    def register_person(self, person: Person, *, meta: EventMeta) -> tuple[Person, int]:
        """Put a person on the register (their id derives from the 身份证号: one record each)."""
        try:
            return person, self.save(person, meta=meta)[-1].notification.id
        except StaleVersion as error:
            raise Conflict("person.already_registered", id=str(person.id)) from error

    def record_calendar_notice(
        self, notice: Notice, *, meta: EventMeta
    ) -> tuple[CalendarNotice, int]:
        """Publish a year's holiday notice, or amend the one recorded."""
        try:
            recorded: CalendarNotice = self.repository.get(CalendarNotice.create_id(notice.year))
            recorded.amend(notice)
        except AggregateNotFoundError:
            recorded = CalendarNotice.publish(notice)
        return recorded, self.save(recorded, meta=meta)[-1].notification.id

    def membership(self, org_id: UUID) -> OrgMembership | None:
        try:
            found: OrgMembership = self.repository.get(OrgMembership.create_id(org_id))
        except AggregateNotFoundError:
            return None
        return found

    def record_member_counts(
        self,
        org_id: UUID,
        *,
        formal: int,
        probationary: int,
        activists: int,
        candidates: int,
        applicants: int,
        as_of: date,
        meta: EventMeta,
    ) -> tuple[OrgMembership, int]:
        membership = self.membership(org_id) or OrgMembership(org_id=org_id)
        membership.record(
            formal=formal,
            probationary=probationary,
            activists=activists,
            candidates=candidates,
            applicants=applicants,
            as_of=as_of,
        )
        return membership, self.save(membership, meta=meta)[-1].notification.id
