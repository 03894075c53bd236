"""Policy packs: loading, extension, versions in force, and rule lookup naming the pack."""

from __future__ import annotations

from datetime import date

import pytest

from jiceng.errors import InvalidInput
from jiceng.policy import PolicyCatalogue, PolicyPack, default_catalogue


def test_the_shipped_packs_load_and_extend_the_national_pack() -> None:
    catalogue = default_catalogue()
    assert {p.id for p in catalogue.all()} >= {
        "national",
        "university-2012",
        "changsha-gaoxin-2015",
        "district-2020",
    }
    university = catalogue.policy("university-2012")
    assert university.value("org.student_branch_size_max") == 20
    inherited = university.rule("org.branch_size_max")
    assert (inherited.value, inherited.pack) == (50, "national@1")
    assert "支部工作条例" in (inherited.source or "")


def test_a_missing_rule_names_the_rule_and_pack() -> None:
    with pytest.raises(InvalidInput) as missing:
        default_catalogue().policy("national").rule("org.no_such_rule")
    assert missing.value.params == {"rule": "org.no_such_rule", "pack": "national@1"}


def test_the_version_in_force_on_a_date() -> None:
    def pack(version: int, effective: date, size: int) -> PolicyPack:
        return PolicyPack(
            "p", version, "t", "verified", effective, "x", rules={"org.branch_size_max": size}
        )

    catalogue = PolicyCatalogue(
        [
            PolicyPack("national", 1, "n", "verified", date(2018, 1, 1), "全国"),
            pack(1, date(2020, 1, 1), 40),
            pack(2, date(2026, 5, 1), 30),
        ]
    )
    assert catalogue.in_force("p", date(2026, 4, 30)).value("org.branch_size_max") == 40
    assert catalogue.in_force("p", date(2026, 5, 1)).value("org.branch_size_max") == 30
    assert catalogue.in_force("p", date(2019, 1, 1)).ref == "national@1"


def test_an_unknown_pack_is_refused() -> None:
    with pytest.raises(InvalidInput):
        default_catalogue().policy("atlantis")


def test_the_2026_revision_is_unverified_and_states_only_the_reported_differences() -> None:
    catalogue = default_catalogue()
    revision = catalogue.pack("national-2026")
    assert revision.status == "unverified"
    assert set(revision.rules) == {
        "development.candidate_filing",
        "development.public_notice_points",
        "development.public_notice_working_days",
    }
    policy = catalogue.policy("national-2026")
    assert policy.value("development.candidate_filing") == "consent"
    assert policy.rule("development.introducers").pack == "national@1"  # the rest unchanged
    assert catalogue.policy("national").value("development.public_notice_points") == []
