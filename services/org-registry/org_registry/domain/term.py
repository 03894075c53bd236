"""A term of office (任期) of an organisation's leadership: who holds which office, until when."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from org_registry.domain.structure import add_months
from org_registry.domain.types import Office


@dataclass(frozen=True)
class Seat:
    """一个职务: an office and who holds it."""

    office: Office
    name: str
    person_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"office": self.office.value, "name": self.name, "person_id": self.person_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Seat:
        return cls(Office.of(data["office"]), data["name"], data.get("person_id"))


@dataclass(frozen=True)
class Term:
    """换届 result: held on a date, for a number of years, possibly postponed with approval."""

    held_on: date
    years: int
    ends_on: date
    seats: tuple[Seat, ...]
    leaders_approved_on: date | None = None
    postponed_months: int = 0
    vacancies: dict[str, date] = field(default_factory=dict)

    @property
    def due_on(self) -> date:
        """When the next election is due, after any approved postponement."""
        return add_months(self.ends_on, self.postponed_months)

    @property
    def has_committee(self) -> bool:
        """A 支委会 exists when three or more seats were elected."""
        return len(self.seats) >= 3

    def holder(self, office: Office) -> Seat | None:
        return next((s for s in self.seats if s.office is office), None)

    def with_seat(self, seat: Seat) -> Term:
        kept = [
            s for s in self.seats if s.office is not seat.office or seat.office is Office.MEMBER
        ]
        seats = (*kept, seat)
        vacancies = {k: v for k, v in self.vacancies.items() if k != seat.office.value}
        return replace(self, seats=seats, vacancies=vacancies)

    def approved(self, approved_on: date) -> Term:
        """The term once the level above approved its 书记/副书记."""
        return replace(self, leaders_approved_on=approved_on)

    def with_vacancy(self, office: str, since: date) -> Term:
        """The term with ``office`` vacant since ``since`` (its holder gone)."""
        seats = tuple(s for s in self.seats if s.office.value != office)
        return replace(self, seats=seats, vacancies={**self.vacancies, office: since})

    def filled(self, seat: Seat) -> Term:
        """The term with a vacant office filled; a new 书记/副书记 awaits approval again."""
        term = self.with_seat(seat)
        if seat.office in (Office.SECRETARY, Office.DEPUTY_SECRETARY):
            term = replace(term, leaders_approved_on=None)
        return term

    def postponed(self, months: int) -> Term:
        return replace(self, postponed_months=self.postponed_months + months)
