"""member-lifecycle's commands: load → act → save."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from jiceng.calendar import Notice
from jiceng.errors import Conflict, InvalidInput, NotFound, StaleVersion
from jiceng.eventlog import EventLog, EventMeta
from jiceng.eventlog.versions import check_version
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

    def register_person(self, person: Person, *, meta: EventMeta) -> tuple[Person, int]:
        """Put a person on the register (their id derives from the 身份证号: one record each)."""
        try:
            return person, self.save(person, meta=meta)[-1].notification.id
        except StaleVersion as error:
            raise Conflict("person.already_registered", id=str(person.id)) from error

    def record_disclosure(
        self, disclosure: Disclosure, *, meta: EventMeta
    ) -> tuple[Disclosure, int]:
        """Record who is about to see a person's whole personal data, and why."""
        return disclosure, self.save(disclosure, meta=meta)[-1].notification.id

    def act(
        self,
        person: Person | UUID,
        command: Callable[[Person], None],
        *,
        meta: EventMeta,
        expected_version: int | None = None,
    ) -> tuple[Person, int]:
        """Run one command on a person (one event) and save it; given an id, load them first.

        A person changed by someone else since it was loaded raises ``StaleVersion`` (409).
        """
        if isinstance(person, UUID):
            person = self.person(person)
        check_version(expected_version, person.version)
        command(person)
        return person, self.save(person, meta=meta)[-1].notification.id

    def members(self, ids: Sequence[UUID]) -> tuple[Person, ...]:
        """The people a step names (each must be on the register)."""
        found = []
        for member_id in ids:
            try:
                member: Person = self.repository.get(member_id)
            except AggregateNotFoundError as error:
                raise InvalidInput("person.member_not_registered", id=str(member_id)) from error
            found.append(member)
        return tuple(found)

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

    def plan(self, org_id: UUID, year: int) -> DevelopmentPlan | None:
        try:
            found: DevelopmentPlan = self.repository.get(DevelopmentPlan.create_id(org_id, year))
        except AggregateNotFoundError:
            return None
        return found

    def set_plan(
        self, org_id: UUID, year: int, quota: int, *, meta: EventMeta
    ) -> tuple[DevelopmentPlan, int]:
        """Set (or revise) an organisation's annual development plan (年度发展计划)."""
        plan = self.plan(org_id, year)
        if plan is None:
            plan = DevelopmentPlan(org_id=org_id, year=year, quota=quota)
        else:
            plan.revise(quota)
        return plan, self.save(plan, meta=meta)[-1].notification.id

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
