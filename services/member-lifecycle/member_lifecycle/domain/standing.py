"""A member's standing: 失联 → 停止党籍 → restored, 限期改正, 留党察看 (rule book §4)."""

from __future__ import annotations

from datetime import date, timedelta

from jiceng.errors import RuleViolation
from member_lifecycle.domain.action_evidence import (
    LostContact,
    PartyProbation,
    RectificationConcluded,
    RectificationOrdered,
    Restored,
    Suspended,
)
from member_lifecycle.domain.changes import RECORDED, RectificationState
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with
from member_lifecycle.domain.evidence import add_months
from member_lifecycle.domain.membership_rules import (
    GOOD,
    SUSPENDED,
    not_in_future,
    require_member,
)

# 失联, 停止党籍, 恢复 --------------------------------------------------------------------


def report_lost_contact(state: PersonState, since: date, rules: Rules) -> Decision[LostContact]:
    require_member(state, "lost_contact")
    not_in_future(since, rules)
    if state.lost_contact_since is not None:
        raise RuleViolation("standing.already_lost_contact", since=state.lost_contact_since)
    months = rules.policy.value("membership.lost_contact_months")
    # 超过六个月: the review falls due the day after six months have passed.
    review = add_months(since, months) + timedelta(days=1)
    return Decision(
        {"since": since, "review_from": review},
        {"lost_contact_since": since, "due": due_with(state, suspension_review=review)},
    )


def suspend(state: PersonState, decided_on: date, body: str, rules: Rules) -> Decision[Suspended]:
    require_member(state, "suspend")
    not_in_future(decided_on, rules)
    since = state.lost_contact_since
    if since is None or state.standing == SUSPENDED:
        raise RuleViolation("standing.not_lost_contact")
    months = rules.policy.value("membership.lost_contact_months")
    if not decided_on > add_months(since, months):
        raise RuleViolation(
            "standing.lost_contact_too_recent",
            since=since,
            months=months,
            earliest=add_months(since, months) + timedelta(days=1),
            pack=rules.policy.ref,
        )
    years = rules.policy.value("membership.suspended_to_lapsed_years")
    lapse = add_months(decided_on, 12 * years)
    return Decision(
        {"since": since, "body": body, "lapse_review_from": lapse},
        {
            "standing": SUSPENDED,
            "suspended_on": decided_on,
            "due": due_with(state, suspension_review=None, lapse_review=lapse),
        },
    )


def restore(state: PersonState, found_on: date, rules: Rules) -> Decision[Restored]:
    """Contact regained: 停止党籍 can be restored (劝退, 除名, 开除 cannot)."""
    require_member(state, "restore")
    not_in_future(found_on, rules)
    if state.lost_contact_since is None:
        raise RuleViolation("standing.not_lost_contact")
    return Decision(
        {"found_on": found_on, "was": state.standing, "since": state.lost_contact_since},
        {
            "standing": GOOD,
            "lost_contact_since": None,
            "suspended_on": None,
            "due": due_with(state, suspension_review=None, lapse_review=None),
        },
    )


# 限期改正, 留党察看 ----------------------------------------------------------------------


def order_rectification(
    state: PersonState, ordered_on: date, until: date, rules: Rules
) -> Decision[RectificationOrdered]:
    require_member(state, "rectification")
    not_in_future(ordered_on, rules)
    if state.rectification is not None and state.rectification["status"] == "ordered":
        raise RuleViolation("rectification.already_ordered", until=state.rectification["until"])
    months = rules.policy.value("membership.rectification_max_months")
    latest = add_months(ordered_on, months)
    if not ordered_on < until <= latest:
        raise RuleViolation(
            "rectification.period", until=until, latest=latest, months=months, pack=rules.policy.ref
        )
    rectification: RectificationState = {
        "ordered_on": ordered_on,
        "until": until,
        "status": "ordered",
    }
    return Decision(
        {**RECORDED, **rectification},
        {"rectification": rectification, "due": due_with(state, rectification_end=until)},
    )


def conclude_rectification(
    state: PersonState, concluded_on: date, improved: bool, rules: Rules
) -> Decision[RectificationConcluded]:
    rectification = state.rectification
    if rectification is None or rectification["status"] != "ordered":
        raise RuleViolation("rectification.not_ordered")
    not_in_future(concluded_on, rules)
    status = "improved" if improved else "not_improved"
    return Decision(
        {**RECORDED, **rectification, "concluded_on": concluded_on, "improved": improved},
        {
            "rectification": {**rectification, "status": status},
            "due": due_with(state, rectification_end=None),
        },
    )


def record_party_probation(
    state: PersonState, decided_on: date, until: date, decision_ref: str, rules: Rules
) -> Decision[PartyProbation]:
    """留党察看 (a disciplinary sanction): no introducing, voting or election while it runs."""
    require_member(state, "party_probation")
    years = rules.policy.value("membership.party_probation_max_years")
    if not decided_on < until <= add_months(decided_on, 12 * years):
        raise RuleViolation("discipline.party_probation_period", until=until, years=years)
    return Decision(
        {"decided_on": decided_on, "until": until, "decision": decision_ref},
        {"party_probation_until": until},
    )
