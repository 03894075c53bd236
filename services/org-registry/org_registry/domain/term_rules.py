"""The rules of an election (换届选举) and of postponing one, apart from the aggregate that
records them: the seats elected, the committee's size, the order of terms, the pack's limit."""

from __future__ import annotations

from datetime import date

from jiceng.errors import Conflict, RuleViolation
from jiceng.policy import Policy
from org_registry.domain.term import Seat, Term
from org_registry.domain.types import Office, OrgType


def check_election(
    policy: Policy, org_type: OrgType, previous: Term | None, held_on: date, seats: list[Seat]
) -> None:
    """One secretary, no office twice, a branch committee within the pack's size, and a
    term after the previous one."""
    if not seats:
        raise RuleViolation("term.no_seats")
    secretaries = [s for s in seats if s.office is Office.SECRETARY]
    if len(secretaries) != 1:
        raise RuleViolation("term.one_secretary", secretaries=len(secretaries))
    offices = [s.office for s in seats if s.office is not Office.MEMBER]
    if len(offices) != len(set(offices)):
        raise RuleViolation("term.office_twice")
    if org_type.is_branch:
        rule = policy.rule("org.branch_committee_max_members")
        if len(seats) > rule.value:
            raise RuleViolation(
                "term.committee_too_large",
                seats=len(seats),
                limit=rule.value,
                rule=rule.key,
                pack=rule.pack,
            )
    if previous is not None and held_on <= previous.held_on:
        raise RuleViolation(
            "term.election_not_after_previous", held_on=held_on, previous=previous.held_on
        )


def check_postponement(policy: Policy, term: Term, months: int) -> None:
    """延期换届 within the pack's limit in all (generally ≤1 year)."""
    rule = policy.rule("org.term_postponement_max_months")
    if months <= 0 or term.postponed_months + months > rule.value:
        raise RuleViolation(
            "term.postponement_too_long",
            months=months,
            already=term.postponed_months,
            limit=rule.value,
            rule=rule.key,
            pack=rule.pack,
        )


def check_leader_approval(term: Term, approved_on: date) -> None:
    """上级党委批准 once, after the election."""
    if term.leaders_approved_on is not None:
        raise Conflict("term.leaders_already_approved", approved_on=term.leaders_approved_on)
    if approved_on < term.held_on:
        raise RuleViolation(
            "term.approval_before_election", approved_on=approved_on, held_on=term.held_on
        )


def check_vacancy(term: Term, office: Office, since: date) -> None:
    """An office falls vacant once, within the term."""
    if office.value in term.vacancies:
        raise Conflict("term.office_already_vacant", office=office.value)
    if since < term.held_on:
        raise RuleViolation("term.vacancy_before_term", since=since, held_on=term.held_on)


def check_filling(term: Term, seat: Seat, filled_on: date) -> None:
    """Only a vacant office is filled, after it fell vacant."""
    since = term.vacancies.get(seat.office.value)
    if since is None:
        raise RuleViolation("term.office_not_vacant", office=seat.office.value)
    if filled_on < since:
        raise RuleViolation("term.filled_before_vacancy", filled_on=filled_on, since=since)
