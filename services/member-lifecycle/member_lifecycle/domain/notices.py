"""公示: a public notice of a proposed decision, in working days, and objections to it.

An objection suspends the decision until it is concluded: upheld, the notice fails and the
decision cannot be taken on it; dismissed, the notice resumes.
"""

from __future__ import annotations

from datetime import date

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain.action_evidence import (
    NoticeStarted,
    ObjectionConcluded,
    ObjectionReceived,
)
from member_lifecycle.domain.changes import RECORDED, NoticeState, PersonChanges
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with
from member_lifecycle.domain.stages import NOTICE_BEFORE, STEPS, DeadlineKind, NoticePoint, Stage

RUNNING, SUSPENDED, FAILED = "running", "suspended", "failed"


def required_points(rules: Rules) -> set[str]:
    return set(rules.policy.get("development.public_notice_points", []) or [])


def check_notice_done(state: PersonState, point: NoticePoint, on: date, rules: Rules) -> None:
    """A decision waits for its 公示 to run its course unopposed: where the pack requires
    one, and wherever the branch has held one anyway (an objection to it still counts)."""
    notice = state.notices.get(point.value)
    if notice is None:
        if point.value in required_points(rules):
            raise RuleViolation("notice.required", point=point.label, pack=rules.policy.ref)
        return
    if notice["status"] == SUSPENDED:
        raise RuleViolation("notice.objection_pending", point=point.label)
    if notice["status"] == FAILED:
        raise RuleViolation("notice.objection_upheld", point=point.label)
    if on <= notice["ends_on"]:
        raise RuleViolation(
            "notice.not_finished", point=point.label, ends_on=notice["ends_on"], on=on
        )


def start(
    state: PersonState, point: NoticePoint, starts_on: date, working_days: int, rules: Rules
) -> Decision[NoticeStarted]:
    step = NOTICE_BEFORE[point]
    if state.stage not in STEPS[step].stages:
        raise RuleViolation(
            "notice.not_in_stage", point=point.label, stage=Stage.of(state.stage).label
        )
    current = state.notices.get(point.value)
    if current is not None and current["status"] != FAILED:
        raise RuleViolation(
            "notice.already_held", point=point.label, starts_on=current["starts_on"]
        )
    minimum = rules.policy.value("development.public_notice_working_days")
    if working_days < minimum:
        raise RuleViolation(
            "notice.too_short", working_days=working_days, minimum=minimum, pack=rules.policy.ref
        )
    ends_on = rules.calendar.nth_working_day(starts_on, working_days)
    notice: NoticeState = {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "working_days": working_days,
        "status": RUNNING,
        "objections": 0,
    }
    return Decision(
        {
            **RECORDED,
            "point": point.value,
            "required_by_pack": point.value in required_points(rules),
            **notice,
        },
        {
            "notices": {**state.notices, point.value: notice},
            "due": due_with(state, **{DeadlineKind.PUBLIC_NOTICE_END.value: ends_on}),
        },
    )


def _notice(state: PersonState, point: NoticePoint) -> NoticeState:
    notice = state.notices.get(point.value)
    if notice is None:
        raise RuleViolation("notice.not_held", point=point.label)
    return notice.copy()


def object_to(
    state: PersonState, point: NoticePoint, received_on: date, summary: str
) -> Decision[ObjectionReceived]:
    notice = _notice(state, point)
    if notice["status"] == FAILED:
        raise RuleViolation("notice.objection_upheld", point=point.label)
    if not notice["starts_on"] <= received_on <= notice["ends_on"]:
        raise RuleViolation(
            "notice.objection_outside_period",
            received_on=received_on,
            starts_on=notice["starts_on"],
            ends_on=notice["ends_on"],
        )
    notice.update({"status": SUSPENDED, "objections": notice["objections"] + 1})
    return Decision(
        {"point": point.value, "objection": summary},
        {"notices": {**state.notices, point.value: notice}},
    )


def conclude(
    state: PersonState, point: NoticePoint, concluded_on: date, upheld: bool, conclusion: str
) -> Decision[ObjectionConcluded]:
    notice = _notice(state, point)
    if notice["status"] != SUSPENDED:
        raise RuleViolation("notice.no_open_objection", point=point.label)
    if concluded_on < notice["starts_on"]:
        raise InvalidInput("notice.concluded_before_start", concluded_on=concluded_on)
    notice["status"] = FAILED if upheld else RUNNING
    changes: PersonChanges = {"notices": {**state.notices, point.value: notice}}
    if upheld:
        # An upheld objection ends the notice: its end is nothing to wait for any more.
        changes["due"] = due_with(state, public_notice_end=None)
    return Decision({"point": point.value, "upheld": upheld, "conclusion": conclusion}, changes)
