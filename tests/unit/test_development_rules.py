"""The 25 steps' rules at their boundaries (rule book §2), in the domain with no I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from jiceng.errors import InvalidInput, JicengError, RuleViolation
from member_lifecycle.commands.step_inputs import StepFields, step_input
from member_lifecycle.domain.development import approval_power
from member_lifecycle.domain.evidence import (
    Exclusion,
    ExclusionReason,
    MemberStanding,
    Vote,
    add_months,
    full_years_reached,
)
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import ConversionOutcome, NoticePoint, Stage, Step
from path_support import (
    APPROVER,
    PATH,
    formal,
    given_for,
    person,
    rules,
    vote,
    walk,
)


def refused(code: str, act: Any) -> JicengError:
    with pytest.raises(JicengError) as caught:
        act()
    assert caught.value.code == code, caught.value.params
    return caught.value


def test_the_whole_path_one_event_per_step_and_back_dated_conversion() -> None:
    p = person()
    registered = len(p.collect_events())
    walk(p)
    events = p.collect_events()
    assert registered == 1
    assert len(events) == len(PATH)
    assert p.stage == Stage.FORMAL
    # 预备期 from the 支部大会 (2025-04-01), one year; 转正 back-dated to its end although the
    # branch voted on 2026-04-15 and the committee approved on 2026-05-10.
    assert (p.membership_since, p.probation_ends_on) == (date(2025, 4, 1), date(2026, 4, 1))
    assert p.formal_since == date(2026, 4, 1)
    assert p.due == {}
    assert [e.step for e in events][:2] == ["application", "application_talk"]


def test_counting_words_add_months_and_birthdays() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    born = date(2008, 11, 20)
    assert not full_years_reached(born, 18, date(2026, 11, 19))
    assert full_years_reached(born, 18, date(2026, 11, 20))  # 年满十八岁: on the birthday


def test_applying_before_eighteen_full_years_is_refused_the_birthday_is_accepted() -> None:
    young = person(born=date(2008, 11, 20))
    error = refused(
        "development.applicant_too_young",
        lambda: young.take_step(
            Step.APPLICATION, replace(given_for(Step.APPLICATION), on=date(2026, 11, 19)), rules()
        ),
    )
    assert set(error.params) == {"min_age", "on", "pack"}  # nothing that dates the birth
    young.take_step(
        Step.APPLICATION, replace(given_for(Step.APPLICATION), on=date(2026, 11, 20)), rules()
    )
    assert young.stage == Stage.APPLICANT


def test_steps_never_skip_and_never_repeat_unless_repeatable() -> None:
    p = walk(person(), until=Step.ACTIVIST_DESIGNATION)
    error = refused(
        "development.step_not_allowed_in_stage",
        lambda: p.take_step(
            Step.CANDIDATE_DESIGNATION, given_for(Step.CANDIDATE_DESIGNATION), rules()
        ),
    )
    assert "7" in error.params["step"]
    refused(
        "development.step_already_recorded",
        lambda: p.take_step(Step.APPLICATION_TALK, given_for(Step.APPLICATION_TALK), rules()),
    )
    fresh = walk(person(), until=Step.APPLICATION_TALK)
    error = refused(
        "development.step_out_of_order",
        lambda: fresh.take_step(
            Step.ACTIVIST_DESIGNATION, given_for(Step.ACTIVIST_DESIGNATION), rules()
        ),
    )
    assert "2 党组织派人谈话" in error.params["missing"]


def test_a_step_cannot_predate_the_one_before_or_lie_in_the_future() -> None:
    p = walk(person(), until=Step.APPLICATION_TALK)
    talk = given_for(Step.APPLICATION_TALK)
    refused(
        "development.date_before_previous_step",
        lambda: p.take_step(Step.APPLICATION_TALK, replace(talk, on=date(2024, 1, 9)), rules()),
    )
    refused(
        "development.date_in_future",
        lambda: p.take_step(Step.APPLICATION_TALK, replace(talk, on=date(2026, 11, 21)), rules()),
    )


def test_the_talk_within_a_month_is_tracked_not_blocking() -> None:
    p = walk(person(), until=Step.APPLICATION_TALK)
    assert p.due["application_talk"] == date(2024, 2, 10)
    p.take_step(
        Step.APPLICATION_TALK,
        replace(given_for(Step.APPLICATION_TALK), on=date(2024, 2, 11)),
        rules(),
    )
    assert p.collect_events()[-1].evidence["on_time"] is False
    assert "application_talk" not in p.due


@pytest.mark.parametrize(("on", "accepted"), [(date(2025, 1, 31), False), (date(2025, 2, 1), True)])
def test_a_candidate_after_one_full_year_as_activist_the_day_it_ends_included(
    on: date, accepted: bool
) -> None:
    p = walk(person(), until=Step.CANDIDATE_DESIGNATION)
    given = replace(given_for(Step.CANDIDATE_DESIGNATION), on=on)
    if accepted:
        p.take_step(Step.CANDIDATE_DESIGNATION, given, rules())
        assert p.stage == Stage.CANDIDATE
    else:
        error = refused(
            "development.activist_period_too_short",
            lambda: p.take_step(Step.CANDIDATE_DESIGNATION, given, rules()),
        )
        assert error.params["earliest"] == date(2025, 2, 1)


@pytest.mark.parametrize("count", [0, 3])
def test_contacts_one_or_two(count: int) -> None:
    p = walk(person(), until=Step.CONTACTS_ASSIGNMENT)
    given = replace(
        given_for(Step.CONTACTS_ASSIGNMENT), members=tuple(formal(i) for i in range(count))
    )
    error = refused(
        "development.contacts_count", lambda: p.take_step(Step.CONTACTS_ASSIGNMENT, given, rules())
    )
    assert (error.params["min"], error.params["max"]) == (1, 2)


@pytest.mark.parametrize(
    "introducer",
    [
        MemberStanding(formal(9).person_id, "预备党员甲", "probationary", True),
        MemberStanding(formal(9).person_id, "留党察看乙", "formal", False),
    ],
)
def test_introducers_must_be_formal_members_in_good_standing(introducer: MemberStanding) -> None:
    p = walk(person(), until=Step.INTRODUCERS)
    given = replace(given_for(Step.INTRODUCERS), members=(formal(1), introducer))
    error = refused(
        "development.introducers_not_formal_member",
        lambda: p.take_step(Step.INTRODUCERS, given, rules()),
    )
    assert error.params["name"] == introducer.name
    one = replace(given_for(Step.INTRODUCERS), members=(formal(1),))
    refused("development.introducers_count", lambda: p.take_step(Step.INTRODUCERS, one, rules()))


def test_a_failed_political_review_blocks_admission_until_a_new_one_passes() -> None:
    p = walk(person(), until=Step.POLITICAL_REVIEW)
    p.take_step(
        Step.POLITICAL_REVIEW, replace(given_for(Step.POLITICAL_REVIEW), passed=False), rules()
    )
    p.take_step(Step.TRAINING, given_for(Step.TRAINING), rules())
    refused(
        "development.political_review_not_passed",
        lambda: p.take_step(Step.COMMITTEE_REVIEW, given_for(Step.COMMITTEE_REVIEW), rules()),
    )
    p.take_step(
        Step.POLITICAL_REVIEW,
        replace(given_for(Step.POLITICAL_REVIEW), on=date(2025, 3, 12)),
        rules(),
    )
    p.take_step(Step.COMMITTEE_REVIEW, given_for(Step.COMMITTEE_REVIEW), rules())


@pytest.mark.parametrize(
    ("days", "hours", "enough"),
    [(2.5, 23.5, False), (3, None, True), (None, 24, True), (2, 20, False)],
)
def test_training_three_days_or_twenty_four_hours(
    days: float | None, hours: float | None, enough: bool
) -> None:
    p = walk(person(), until=Step.TRAINING)
    # A length not given is none (the boundary reads it so).
    training = replace(given_for(Step.TRAINING), days=days or 0.0, hours=hours or 0.0)
    p.take_step(Step.TRAINING, training, rules())
    review = given_for(Step.COMMITTEE_REVIEW)
    if enough:
        p.take_step(Step.COMMITTEE_REVIEW, review, rules())
    else:
        error = refused(
            "development.training_insufficient",
            lambda: p.take_step(Step.COMMITTEE_REVIEW, review, rules()),
        )
        assert (error.params["min_days"], error.params["min_hours"]) == (3, 24)


def test_no_application_form_without_a_passed_pre_review() -> None:
    p = walk(person(), until=Step.PRE_REVIEW)
    p.take_step(Step.PRE_REVIEW, replace(given_for(Step.PRE_REVIEW), passed=False), rules())
    refused(
        "development.pre_review_not_passed",
        lambda: p.take_step(Step.APPLICATION_FORM, given_for(Step.APPLICATION_FORM), rules()),
    )


@pytest.mark.parametrize(
    ("present", "in_favour", "code"),
    [
        (8, 8, "vote.quorum_not_met"),  # exactly half of 16 present
        (9, 8, "vote.not_passed"),  # exactly half in favour
        (16, 8, "vote.not_passed"),  # more than half of those present is not enough
        (9, 9, None),  # the worked example: 应到 16 → 9 and 9
    ],
)
def test_vote_more_than_half_of_expected(present: int, in_favour: int, code: str | None) -> None:
    p = walk(person(), until=Step.ADMISSION_VOTE)
    given = replace(given_for(Step.ADMISSION_VOTE), vote=vote(16, present, in_favour))
    if code is None:
        p.take_step(Step.ADMISSION_VOTE, given, rules())
        assert p.collect_events()[-1].evidence["vote"]["expected"] == 16
    else:
        error = refused(code, lambda: p.take_step(Step.ADMISSION_VOTE, given, rules()))
        assert (error.params["expected"], error.params["needed"]) == (16, 9)


def test_exclusions_lower_expected_and_probationary_members_cannot_vote() -> None:
    excluded = tuple(Exclusion(f"甲{i}", ExclusionReason.ABROAD, "党委") for i in range(2))
    ballot = Vote(entitled=18, present=8, in_favour=8, exclusions=excluded)  # 应到 16
    assert ballot.expected == 16
    p = walk(person(), until=Step.ADMISSION_VOTE)
    refused(
        "vote.quorum_not_met",
        lambda: p.take_step(
            Step.ADMISSION_VOTE, replace(given_for(Step.ADMISSION_VOTE), vote=ballot), rules()
        ),
    )
    probationary = MemberStanding(formal(7).person_id, "预备党员丙", "probationary", True)
    given = replace(given_for(Step.ADMISSION_VOTE), members=(formal(1), probationary))
    refused(
        "vote.probationary_cannot_vote", lambda: p.take_step(Step.ADMISSION_VOTE, given, rules())
    )
    refused(
        "vote.counts_inconsistent",
        lambda: Vote(entitled=10, present=11, in_favour=6).check(rules().policy),
    )


def test_approval_within_three_months_is_tracked_and_the_approver_must_have_power() -> None:
    p = walk(person(), until=Step.ADMISSION_APPROVAL)
    branch_committee = replace(APPROVER, may_approve=False, why_not="type_general_branch")
    refused(
        "development.approver_not_entitled",
        lambda: p.take_step(
            Step.ADMISSION_APPROVAL,
            replace(given_for(Step.ADMISSION_APPROVAL), approver=branch_committee),
            rules(),
        ),
    )
    late = replace(given_for(Step.ADMISSION_APPROVAL), on=date(2025, 7, 2))  # vote 2025-04-01
    p.take_step(Step.ADMISSION_APPROVAL, late, rules())
    evidence = p.collect_events()[-1].evidence
    assert (evidence["within_limit"], evidence["beyond_maximum"]) == (False, False)
    assert evidence["limit_on"] == date(2025, 7, 1)


def test_approval_power_by_type_place_and_domain() -> None:
    org = formal(0).person_id
    assert approval_power(
        org, "党委", "committee", "university", None, above_branch=True
    ).may_approve
    university = ("committee", "university")
    assert not approval_power(org, "总支", "general_branch", None, university, True).may_approve
    township = ("committee", "rural")
    village = approval_power(org, "村党委", "committee", "rural", township, above_branch=True)
    assert village.why_not == "village_or_community_committee"
    town = approval_power(org, "镇党委", "committee", "rural", ("committee", "government"), True)
    assert town.may_approve
    street = ("working_committee", "community")
    assert not approval_power(org, "社区党委", "committee", "community", street, True).may_approve
    assert not approval_power(org, "别处党委", "committee", None, None, False).may_approve


def _to_conversion_vote() -> Person:
    return walk(person(), until=Step.CONVERSION_VOTE)


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_extension_six_to_twelve_months_once_only(months: int, ok: bool) -> None:
    p = _to_conversion_vote()
    given = replace(
        given_for(Step.CONVERSION_VOTE), outcome=ConversionOutcome.EXTEND, extension_months=months
    )
    if not ok:
        refused(
            "development.extension_length",
            lambda: p.take_step(Step.CONVERSION_VOTE, given, rules()),
        )
        return
    p.take_step(Step.CONVERSION_VOTE, given, rules())
    p.take_step(Step.CONVERSION_APPROVAL, given_for(Step.CONVERSION_APPROVAL), rules())
    assert p.probation_ends_on == add_months(date(2026, 4, 1), months)
    assert p.stage == Stage.PROBATIONARY and p.extensions == 1
    assert p.due["conversion"] == p.probation_ends_on
    # The conversion is taken again; a second extension is refused.
    again = date(2026, 11, 10)
    p.take_step(
        Step.CONVERSION_APPLICATION,
        replace(given_for(Step.CONVERSION_APPLICATION), on=again),
        rules(today=again),
    )
    refused(
        "development.extension_already_used",
        lambda: p.take_step(Step.CONVERSION_VOTE, replace(given, on=again), rules(today=again)),
    )


def test_cancellation_exits_and_the_person_may_apply_again() -> None:
    p = _to_conversion_vote()
    p.take_step(
        Step.CONVERSION_VOTE,
        replace(given_for(Step.CONVERSION_VOTE), outcome=ConversionOutcome.CANCEL),
        rules(),
    )
    p.take_step(Step.CONVERSION_APPROVAL, given_for(Step.CONVERSION_APPROVAL), rules())
    assert (p.stage, p.exit_kind) == (Stage.EXITED, "probation_cancelled")
    p.take_step(
        Step.APPLICATION, replace(given_for(Step.APPLICATION), on=date(2026, 6, 1)), rules()
    )
    assert (p.stage, p.cycle, list(p.steps)) == (Stage.APPLICANT, 2, ["application"])


def test_candidate_filing_needs_consent_under_the_2026_pack() -> None:
    p = walk(person(), until=Step.CANDIDATE_FILING)
    filing = given_for(Step.CANDIDATE_FILING)
    on = date(2026, 6, 1)
    later = rules("national-2026", on=on)
    p2 = walk(person(), until=Step.CANDIDATE_FILING)
    refused(
        "development.upper_consent_required",
        lambda: p2.take_step(Step.CANDIDATE_FILING, replace(filing, on=on), later),
    )
    p2.take_step(Step.CANDIDATE_FILING, replace(filing, on=on, consented=True), later)
    p.take_step(Step.CANDIDATE_FILING, filing, rules())  # national 2014: 备案 is enough
    assert p.collect_events()[-1].evidence["mode"] == "record"


def test_missing_evidence_is_named() -> None:
    # The request is turned into the step's typed input at the boundary: a talk without its
    # record is refused there, naming the request's field.
    talk = given_for(Step.APPLICATION_TALK)
    error = refused(
        "evidence.missing",
        lambda: step_input(Step.APPLICATION_TALK, StepFields(talk.on, body="组织委员")),
    )
    assert error.params["field"] == "summary"
    assert isinstance(error, InvalidInput)


def test_notices_are_rule_violations_only_where_the_pack_requires_them() -> None:
    p = walk(person(), until=Step.ACTIVIST_DESIGNATION, pack="university-2012")
    designation = given_for(Step.ACTIVIST_DESIGNATION)
    error = refused(
        "notice.required",
        lambda: p.take_step(Step.ACTIVIST_DESIGNATION, designation, rules("university-2012")),
    )
    assert isinstance(error, RuleViolation)
    assert NoticePoint.ACTIVIST.label in error.params["point"]


@pytest.mark.parametrize(
    ("leaving", "refused_"), [(date(2025, 7, 1), True), (date(2025, 7, 2), False)]
)
def test_a_candidate_leaving_within_three_months_is_normally_not_admitted(
    leaving: date, refused_: bool
) -> None:
    p = walk(person(), until=Step.ADMISSION_VOTE)
    given = replace(given_for(Step.ADMISSION_VOTE), leaving_unit_on=leaving)  # vote 2025-04-01
    if refused_:
        refused(
            "development.leaving_soon", lambda: p.take_step(Step.ADMISSION_VOTE, given, rules())
        )
        p.take_step(
            Step.ADMISSION_VOTE, replace(given, exception="组织需要，转入单位已同意"), rules()
        )
        assert p.collect_events()[-1].evidence["exception"]
    else:
        p.take_step(Step.ADMISSION_VOTE, given, rules())


def test_party_years_count_from_conversion_in_full_years() -> None:
    from member_lifecycle.domain.evidence import party_years

    assert party_years(date(2016, 7, 1), date(2026, 6, 30)) == 9
    assert party_years(date(2016, 7, 1), date(2026, 7, 1)) == 10
    assert party_years(None, date(2026, 7, 1)) is None
