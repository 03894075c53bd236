"""Structural alerts, coverage rates and venue ratings, at their boundaries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiceng.errors import RuleViolation
from jiceng.policy import default_catalogue
from org_registry.domain.alerts import OrgFacts, structural_alerts
from org_registry.domain.coverage import UnitFacts, coverage_report
from org_registry.domain.types import SIX_HAVES, CoverageKind, OrgType, VenueGrade
from org_registry.domain.venue import Venue

CATALOGUE = default_catalogue()
NATIONAL = CATALOGUE.policy("national")
UNIVERSITY = CATALOGUE.policy("university-2012")


def facts(
    org_type: OrgType,
    formal: int | None,
    probationary: int = 0,
    *,
    path: str = "/a/",
    committee: bool = False,
    student: bool = False,
    domain: str = "university",
) -> OrgFacts:
    org_id = path.strip("/").split("/")[-1]
    return OrgFacts(
        id=org_id,
        name=f"组织{org_id}",
        path=path,
        org_type=org_type,
        domain=domain,
        student_branch=student,
        has_committee=committee,
        formal=formal,
        probationary=probationary,
    )


def codes(items: list[OrgFacts], policy=NATIONAL) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[str]] = {}
    for alert in structural_alerts(items, lambda _org: policy):
        found.setdefault(alert.org_id, []).append(alert.code)
    return found


@pytest.mark.parametrize(
    ("formal", "committee", "alerted"),
    [(6, False, False), (7, False, True), (7, True, False)],
)
def test_seven_formal_members_need_a_branch_committee(
    formal: int, committee: bool, alerted: bool
) -> None:
    found = codes([facts(OrgType.BRANCH, formal, committee=committee)])
    assert ("org.committee_missing" in found.get("a", [])) is alerted


@pytest.mark.parametrize(("members", "alerted"), [(50, False), (51, True)])
def test_a_branch_over_fifty(members: int, alerted: bool) -> None:
    found = codes([facts(OrgType.BRANCH, members - 5, 5, committee=True)])
    assert ("org.branch_oversized" in found.get("a", [])) is alerted


@pytest.mark.parametrize(
    ("policy", "members", "alerted"),
    [(NATIONAL, 21, False), (UNIVERSITY, 20, False), (UNIVERSITY, 21, True)],
)
def test_a_student_branch_over_twenty_where_the_pack_says_so(
    policy,
    members: int,
    alerted: bool,  # type: ignore[no-untyped-def]
) -> None:
    found = codes([facts(OrgType.BRANCH, members, committee=True, student=True)], policy)
    assert ("org.branch_oversized" in found.get("a", [])) is alerted
    if alerted:
        [alert] = [
            a
            for a in structural_alerts(
                [facts(OrgType.BRANCH, members, committee=True, student=True)], lambda _o: policy
            )
            if a.code == "org.branch_oversized"
        ]
        assert (alert.rule, alert.pack, alert.numbers) == (
            "org.student_branch_size_max",
            "university-2012@1",
            {"members": 21, "threshold": 20},
        )


@pytest.mark.parametrize(
    ("org_type", "formal", "alerted"),
    [(OrgType.BRANCH, 2, True), (OrgType.BRANCH, 3, False), (OrgType.JOINT_BRANCH, 2, False)],
)
def test_fewer_than_three_formal_members(org_type: OrgType, formal: int, alerted: bool) -> None:
    found = codes([facts(org_type, formal)])
    assert ("org.too_few_formal_members" in found.get("a", [])) is alerted


def test_general_branch_size_is_the_sum_of_its_branches() -> None:
    items = [
        facts(OrgType.GENERAL_BRANCH, 0, path="/g/"),
        facts(OrgType.BRANCH, 30, path="/g/b1/", committee=True),
        facts(OrgType.BRANCH, 20, path="/g/b2/", committee=True),
    ]
    assert "org.too_small_for_type" in codes(items)["g"]  # 50 is not more than 50
    items.append(facts(OrgType.BRANCH, 1, path="/g/b3/"))
    assert "org.too_small_for_type" not in codes(items).get("g", [])


def test_township_and_community_committees_are_not_sized_by_members() -> None:
    items = [
        facts(OrgType.COMMITTEE, 0, path="/t/", domain="rural"),
        facts(OrgType.BRANCH, 30, path="/t/v/", committee=True, domain="rural"),
    ]
    assert "org.too_small_for_type" not in codes(items).get("t", [])
    items[0] = facts(OrgType.COMMITTEE, 0, path="/t/", domain="government")
    assert "org.too_small_for_type" in codes(items)["t"]


def test_unknown_counts_raise_no_alerts() -> None:
    assert codes([facts(OrgType.BRANCH, None)]) == {}


def unit(n: int, formal: int, members: int, coverage: CoverageKind) -> UnitFacts:
    return UnitFacts(f"u{n}", f"单位{n}", "X", "430100", formal, members, coverage)


def test_coverage_rates_and_the_lists_behind_them() -> None:
    report = coverage_report(
        [
            unit(1, 5, 6, CoverageKind.STANDALONE),
            unit(2, 3, 3, CoverageKind.JOINT),  # ≥3 but not standalone
            unit(3, 2, 2, CoverageKind.JOINT),
            unit(4, 1, 1, CoverageKind.INSTRUCTOR),
            unit(5, 0, 0, CoverageKind.NONE),
        ],
        NATIONAL,
    )
    assert (report.standalone.covered, report.standalone.uncovered) == (["u1"], ["u2"])
    assert report.standalone.rate == Decimal("0.5000")
    assert report.organisation.covered == ["u1", "u2", "u3"]
    assert report.organisation.uncovered == ["u4"]
    assert report.work.rate == Decimal("0.8000")
    assert (report.threshold, report.pack) == (3, "national@1")
    assert coverage_report([], NATIONAL).work.rate is None


def venue(area: str, households: int, checklist: dict[str, bool] | None = None) -> Venue:
    import uuid

    return Venue.register(
        org_id=uuid.uuid4(),
        name="党群服务中心",
        area_m2=Decimal(area),
        households_served=households,
        checklist=checklist if checklist is not None else dict.fromkeys(SIX_HAVES, True),
    )


def test_venue_area_standard_from_the_district_pack() -> None:
    district = CATALOGUE.policy("district-2020")
    venue("300", 1000).rate(district, VenueGrade.FIRST, date(2026, 1, 5), "检查组")
    short = venue("299.99", 1000)
    with pytest.raises(RuleViolation) as refused:
        short.rate(district, VenueGrade.FIRST, date(2026, 1, 5), "检查组")
    assert refused.value.params["required_m2"] == "300.00"
    short.rate(NATIONAL, VenueGrade.SECOND, date(2026, 1, 5), "检查组")  # no national standard
    assert short.grade is VenueGrade.SECOND


def test_venue_six_haves_where_the_pack_sets_them() -> None:
    changsha = CATALOGUE.policy("changsha-gaoxin-2015")
    incomplete = venue("80", 0, {"premises": True, "party_flag": True})
    with pytest.raises(RuleViolation) as refused:
        incomplete.rate(changsha, VenueGrade.THIRD, date(2026, 1, 5), "检查组")
    assert refused.value.params["missing"] == [
        "facilities",
        "signage",
        "reading_materials",
        "rules",
    ]
    incomplete.rate(changsha, VenueGrade.BELOW_STANDARD, date(2026, 1, 5), "检查组")
    with pytest.raises(RuleViolation):
        venue("80", 0, {"swimming_pool": True})
