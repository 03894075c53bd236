"""Member counts of an organisation (党员人数), published for the other services."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_OID, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from jiceng.errors import RuleViolation

CATEGORIES = ("formal", "probationary", "activists", "candidates", "applicants")


class OrgMembership(Aggregate):
    """The counts of one organisation's own members, by category.

    Counts recorded here are a baseline (as in the annual 党内统计 return) for organisations
    whose people are not yet recorded one by one.
    """

    @staticmethod
    def create_id(org_id: UUID) -> UUID:
        return uuid5(NAMESPACE_OID, f"membership:{org_id}")

    @event("Opened")
    def __init__(self, org_id: UUID) -> None:
        self.org_id = org_id
        self.as_of: date | None = None
        self.people: dict[str, str] = {}  # person id → category, for people counted one by one

    def record(
        self,
        *,
        formal: int,
        probationary: int,
        activists: int,
        candidates: int,
        applicants: int,
        as_of: date,
    ) -> None:
        numbers = {
            "formal": formal,
            "probationary": probationary,
            "activists": activists,
            "candidates": candidates,
            "applicants": applicants,
        }
        negative = sorted(k for k, v in numbers.items() if v < 0)
        if negative:
            raise RuleViolation("membership.negative_count", categories=negative)
        if self.as_of is not None and as_of < self.as_of:
            raise RuleViolation(
                "membership.count_older_than_recorded", as_of=as_of, recorded=self.as_of
            )
        self._publish(numbers, as_of, {}, [])

    def adjust(
        self,
        deltas: dict[str, int],
        as_of: date,
        *,
        joined: dict[str, str] | None = None,
        left: list[str] | None = None,
    ) -> None:
        """Count people moving in or out (never below zero: a baseline may lag the people).

        ``joined`` (person → category) and ``left`` keep the roll of people counted one by
        one, so that a merger can move them and leave only the baseline to move in bulk.
        """
        numbers = {c: max(0, getattr(self, c, 0) + deltas.get(c, 0)) for c in CATEGORIES}
        on = max(as_of, self.as_of) if self.as_of is not None else as_of
        self._publish(numbers, on, joined or {}, left or [])

    def _publish(
        self, n: dict[str, int], as_of: date, joined: dict[str, str], left: list[str]
    ) -> None:
        self._counted(
            org_id=self.org_id,
            formal=n["formal"],
            probationary=n["probationary"],
            activists=n["activists"],
            candidates=n["candidates"],
            applicants=n["applicants"],
            as_of=as_of,
            joined=joined,
            left=left,
        )

    def baseline(self) -> dict[str, int]:
        """The counts not accounted for by people on the roll (a 党内统计 baseline)."""
        by_person = dict.fromkeys(CATEGORIES, 0)
        for category in self.people.values():
            by_person[category] += 1
        return {c: max(0, getattr(self, c, 0) - by_person[c]) for c in CATEGORIES}

    @event("Counted")
    def _counted(
        self,
        org_id: UUID,
        formal: int,
        probationary: int,
        activists: int,
        candidates: int,
        applicants: int,
        as_of: date,
        joined: dict[str, str] | None = None,
        left: list[str] | None = None,
    ) -> None:
        self.formal, self.probationary = formal, probationary
        self.activists, self.candidates, self.applicants = activists, candidates, applicants
        self.as_of = as_of
        people = dict(self.people)
        for person in left or []:
            people.pop(person, None)
        people.update(joined or {})
        self.people = people
