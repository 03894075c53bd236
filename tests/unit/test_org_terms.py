"""Elections (换届), approval of leaders, vacancies and postponement, with the pack's numbers."""

from __future__ import annotations

from datetime import date

import pytest

from jiceng.errors import Conflict, RuleViolation
from jiceng.policy import default_catalogue
from org_registry.domain.organisation import Organisation
from org_registry.domain.structure import add_months, add_years, term_years
from org_registry.domain.term import Seat
from org_registry.domain.types import Office, OrgDomain, OrgType

NATIONAL = default_catalogue().policy("national")


def organisation(org_type: OrgType = OrgType.BRANCH, domain: OrgDomain = OrgDomain.UNIVERSITY):  # type: ignore[no-untyped-def]
    root = Organisation.establish(
        policy=NATIONAL,
        name="党委",
        org_type=OrgType.COMMITTEE,
        domain=domain,
        parent=None,
        established_on=None,
    )
    if org_type is OrgType.COMMITTEE:
        return root
    return Organisation.establish(
        policy=NATIONAL,
        name="支部",
        org_type=org_type,
        domain=domain,
        parent=root,
        established_on=None,
    )


def committee(size: int) -> list[Seat]:
    offices = [
        Office.SECRETARY,
        Office.ORGANISATION_MEMBER,
        Office.PUBLICITY_MEMBER,
        Office.DISCIPLINE_MEMBER,
        Office.DEPUTY_SECRETARY,
    ]
    seats = [Seat(office, f"委员{n}") for n, office in enumerate(offices[:size])]
    return seats + [Seat(Office.MEMBER, f"委员{n}") for n in range(size - len(seats))]


@pytest.mark.parametrize(
    ("org_type", "domain", "years"),
    [
        (OrgType.COMMITTEE, OrgDomain.UNIVERSITY, 5),
        (OrgType.GENERAL_BRANCH, OrgDomain.UNIVERSITY, 3),
        (OrgType.BRANCH, OrgDomain.STATE_ENTERPRISE, 3),
        (OrgType.BRANCH, OrgDomain.RURAL, 5),  # village bodies serve five years
        (OrgType.BRANCH, OrgDomain.COMMUNITY, 5),
    ],
)
def test_term_length_comes_from_the_pack(org_type: OrgType, domain: OrgDomain, years: int) -> None:
    assert term_years(NATIONAL, org_type, domain) == years


def test_an_election_starts_a_term_ending_on_the_anniversary() -> None:
    branch = organisation()
    branch.record_election(NATIONAL, date(2024, 2, 29), committee(5))
    term = branch.term
    assert term is not None
    assert (term.years, term.ends_on, term.due_on) == (3, date(2027, 2, 28), date(2027, 2, 28))
    assert term.has_committee
    assert term.holder(Office.SECRETARY) == Seat(Office.SECRETARY, "委员0")


def test_election_rules() -> None:
    branch = organisation()
    with pytest.raises(RuleViolation) as no_secretary:
        branch.record_election(NATIONAL, date(2025, 1, 1), [Seat(Office.MEMBER, "甲")])
    assert no_secretary.value.code == "term.one_secretary"
    with pytest.raises(RuleViolation) as too_large:
        branch.record_election(NATIONAL, date(2025, 1, 1), committee(8))
    assert too_large.value.params == {
        "seats": 8,
        "limit": 7,
        "rule": "org.branch_committee_max_members",
        "pack": "national@1",
    }
    branch.record_election(NATIONAL, date(2025, 1, 1), committee(7))  # exactly the limit
    with pytest.raises(RuleViolation) as not_later:
        branch.record_election(NATIONAL, date(2025, 1, 1), committee(3))
    assert not_later.value.code == "term.election_not_after_previous"


def test_leaders_need_approval_once_and_again_after_a_new_secretary() -> None:
    branch = organisation()
    branch.record_election(NATIONAL, date(2025, 3, 1), committee(3))
    with pytest.raises(RuleViolation):
        branch.approve_leaders(date(2025, 2, 28), "上级党委")
    branch.approve_leaders(date(2025, 3, 10), "上级党委")
    with pytest.raises(Conflict):
        branch.approve_leaders(date(2025, 3, 11), "上级党委")
    branch.open_vacancy(Office.SECRETARY, date(2025, 6, 1))
    assert branch.term is not None and branch.term.holder(Office.SECRETARY) is None
    with pytest.raises(Conflict):
        branch.open_vacancy(Office.SECRETARY, date(2025, 6, 2))
    branch.fill_vacancy(Seat(Office.SECRETARY, "新书记"), date(2025, 9, 1))
    assert branch.term.vacancies == {}
    assert branch.term.leaders_approved_on is None  # the new secretary needs approval
    with pytest.raises(RuleViolation) as not_vacant:
        branch.fill_vacancy(Seat(Office.SECRETARY, "又一位"), date(2025, 9, 2))
    assert not_vacant.value.code == "term.office_not_vacant"


def test_postponement_within_one_year_in_total() -> None:
    branch = organisation()
    with pytest.raises(RuleViolation) as no_term:
        branch.postpone_term(NATIONAL, 6, date(2025, 1, 1), "上级党委")
    assert no_term.value.code == "term.none_recorded"
    branch.record_election(NATIONAL, date(2022, 5, 10), committee(3))
    branch.postpone_term(NATIONAL, 8, date(2025, 4, 1), "上级党委")
    with pytest.raises(RuleViolation) as too_long:
        branch.postpone_term(NATIONAL, 5, date(2025, 4, 2), "上级党委")
    assert too_long.value.params == {
        "months": 5,
        "already": 8,
        "limit": 12,
        "rule": "org.term_postponement_max_months",
        "pack": "national@1",
    }
    branch.postpone_term(NATIONAL, 4, date(2025, 4, 2), "上级党委")  # exactly 12 in all
    assert branch.term is not None and branch.term.due_on == date(2026, 5, 10)


def test_calendar_arithmetic() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
