"""Request and response bodies of terms and elections (换届), leaders and vacancies."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from jiceng.api.types import Day
from org_registry.api.fields import Reason
from org_registry.domain.term import Seat, Term
from org_registry.domain.types import (
    Office,
)


class SeatBody(BaseModel):
    office: Office
    name: str = Field(min_length=1, max_length=100)
    person_id: str | None = Field(default=None, max_length=64)

    def seat(self) -> Seat:
        return Seat(self.office, self.name.strip(), self.person_id)


class RecordElection(BaseModel):
    held_on: Day
    seats: list[SeatBody] = Field(min_length=1, max_length=15)
    reason: str | None = Reason


class ApproveLeaders(BaseModel):
    approved_on: Day
    approved_by: str = Field(min_length=1, max_length=200, description="The approving body")
    reason: str | None = Reason


class OpenVacancy(BaseModel):
    office: Office
    since: Day
    reason: str | None = Reason


class FillVacancy(BaseModel):
    seat: SeatBody
    filled_on: Day
    reason: str | None = Reason


class PostponeTerm(BaseModel):
    months: int = Field(ge=1, le=24)
    approved_on: Day
    approved_by: str = Field(min_length=1, max_length=200)
    reason: str | None = Reason


class SeatView(BaseModel):
    office: Office
    office_label: str
    name: str
    person_id: str | None

    @classmethod
    def of(cls, seat: Seat) -> SeatView:
        return cls(
            office=seat.office,
            office_label=seat.office.label,
            name=seat.name,
            person_id=seat.person_id,
        )


class TermView(BaseModel):
    held_on: date
    years: int
    ends_on: date
    due_on: date
    postponed_months: int
    has_committee: bool
    leaders_approved_on: date | None
    seats: list[SeatView]
    vacancies: dict[str, date]

    @classmethod
    def of(cls, term: Term) -> TermView:
        return cls(
            held_on=term.held_on,
            years=term.years,
            ends_on=term.ends_on,
            due_on=term.due_on,
            postponed_months=term.postponed_months,
            has_committee=term.has_committee,
            leaders_approved_on=term.leaders_approved_on,
            seats=[SeatView.of(s) for s in term.seats],
            vacancies=dict(term.vacancies),
        )


class DueTermView(BaseModel):
    org_id: UUID
    org_name: str
    org_type: str
    held_on: date
    due_on: date
    days_left: int = Field(description="Negative when overdue")


class VacancyView(BaseModel):
    org_id: UUID
    org_name: str
    office: Office
    since: date
    days_vacant: int
    limit_days: int | None
    pack: str
