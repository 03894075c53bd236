"""What the rules after admission share: who is a member, and no decisions dated ahead."""

from __future__ import annotations

from datetime import date

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain.decision import PersonState, Rules
from member_lifecycle.domain.stages import Stage

MEMBERS = (Stage.PROBATIONARY.value, Stage.FORMAL.value)
GOOD, SUSPENDED = "good", "suspended"


def require_member(state: PersonState, action: str) -> None:
    if state.stage not in MEMBERS:
        raise RuleViolation(
            "membership.not_a_member", action=action, stage=Stage.of(state.stage).label
        )


def not_in_future(on: date, rules: Rules) -> None:
    if on > rules.today:
        raise InvalidInput("development.date_in_future", on=on, today=rules.today)
