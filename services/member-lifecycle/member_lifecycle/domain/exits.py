"""The ways out of the Party, and members admitted before the system (rule book §4).

Votes of the 支部大会 follow the same quorum and pass rules as admission.
"""

from __future__ import annotations

from datetime import date

from jiceng.errors import InvalidInput, RuleViolation
from member_lifecycle.domain.action_evidence import ExitEvidence, ImportedMembership
from member_lifecycle.domain.admission_rules import check_approver, check_vote
from member_lifecycle.domain.changes import PersonChanges, RowOrigin
from member_lifecycle.domain.decision import Decision, PersonState, Rules, due_with
from member_lifecycle.domain.evidence import add_months, full_years_reached
from member_lifecycle.domain.membership_rules import SUSPENDED, not_in_future, require_member
from member_lifecycle.domain.stages import ExitKind, Stage
from member_lifecycle.domain.step_input import Death, Disposal, ExitInput, ExitStatement, Lapse

# Ways out -------------------------------------------------------------------------------

#: The input each kind of exit takes.
EXIT_INPUTS: dict[ExitKind, type[ExitInput]] = {
    ExitKind.WITHDRAWAL: ExitStatement,
    ExitKind.LAPSED: Lapse,
    ExitKind.PERSUADED: Disposal,
    ExitKind.REMOVED: Disposal,
    ExitKind.EXPELLED: ExitStatement,
    ExitKind.DECEASED: Death,
}


def leave(
    state: PersonState, kind: ExitKind, given: ExitInput, rules: Rules
) -> Decision[ExitEvidence]:
    """退党, 自行脱党, 劝退, 除名, 开除党籍, death: each with what the rules ask of it."""
    takes = EXIT_INPUTS.get(kind)
    if takes is None:
        raise InvalidInput("membership.exit_kind_invalid", kind=kind.value)
    if not isinstance(given, takes):
        msg = f"{kind.value} takes {takes.__name__}, not {type(given).__name__}"
        raise TypeError(msg)
    not_in_future(given.on, rules)
    if state.stage == Stage.EXITED:
        raise RuleViolation("membership.already_exited", kind=ExitKind.of(state.exit_kind).label)
    if kind is not ExitKind.DECEASED:
        require_member(state, kind.value)
    evidence: ExitEvidence = {"kind": kind.value, "on": given.on, "stage_before": state.stage}
    if isinstance(given, ExitStatement) and kind is ExitKind.WITHDRAWAL:
        evidence.update({"request": given.summary, "body": given.body})
    elif isinstance(given, ExitStatement):
        # Recorded from the disciplinary decision (纪律处分决定): the heaviest of five sanctions.
        evidence.update({"decision": given.summary, "body": given.body})
    elif isinstance(given, Lapse):
        _lapsed(state, given, rules, evidence)
    elif isinstance(given, Disposal):
        _after_rectification(state, kind, given, rules, evidence)
    else:
        evidence["reported_by"] = given.body
    changes: PersonChanges = {
        "stage": Stage.EXITED.value,
        "exit_kind": kind.value,
        "exited_on": given.on,
        "due": {},
        "transfer": None,
        "outflow": None,
    }
    return Decision(evidence, changes)


def _lapsed(state: PersonState, given: Lapse, rules: Rules, evidence: ExitEvidence) -> None:
    """自行脱党: two years after 停止党籍, or six months without organisational life, dues or
    assigned work without good reason (``summary`` names which, ``since`` since when)."""
    if state.standing == SUSPENDED:
        assert state.suspended_on is not None  # suspended on a date
        years = rules.policy.value("membership.suspended_to_lapsed_years")
        earliest = add_months(state.suspended_on, 12 * years)
        if given.on < earliest:
            raise RuleViolation(
                "standing.suspension_too_recent",
                suspended_on=state.suspended_on,
                earliest=earliest,
                pack=rules.policy.ref,
            )
        basis = "suspended"
    else:
        # Outside a suspension the absence is the ground: it cannot be recorded without it.
        if not given.summary:
            raise InvalidInput("evidence.missing", field="summary")
        if given.since is None:
            raise InvalidInput("evidence.missing", field="since")
        basis, since = given.summary, given.since
        months = rules.policy.value("membership.no_organisational_life_months")
        if given.on < add_months(since, months):
            raise RuleViolation(
                "standing.absence_too_short", since=since, months=months, pack=rules.policy.ref
            )
    evidence["basis"] = basis
    _voted_and_approved(given, rules, evidence)


def _voted_and_approved(given: Lapse | Disposal, rules: Rules, evidence: ExitEvidence) -> None:
    evidence["vote"] = check_vote(given.vote, given.members, rules)
    evidence["approved_by"] = check_approver(given.approver)


def _after_rectification(
    state: PersonState, kind: ExitKind, given: Disposal, rules: Rules, evidence: ExitEvidence
) -> None:
    """不合格党员处置: 限期改正 first; 劝退 if no change; 除名 if the person refuses 劝退."""
    rectification = state.rectification
    if rectification is None or rectification["status"] != "not_improved":
        raise RuleViolation("rectification.not_failed")
    if kind is ExitKind.PERSUADED and given.passed is False:
        raise InvalidInput("rectification.persuasion_refused_use_removal")
    evidence.update(
        {"rectification": rectification, "refused_persuasion": kind is ExitKind.REMOVED}
    )
    _voted_and_approved(given, rules, evidence)


# Members admitted before the system ----------------------------------------------------


def import_membership(
    state: PersonState,
    stage: Stage,
    admitted_on: date,
    formal_since: date | None,
    source: str,
    rules: Rules,
    origin: RowOrigin | None = None,
    applied_on: date | None = None,
) -> Decision[ImportedMembership]:
    """Record a member admitted before the system kept their path (历史党员信息采集).

    ``admitted_on`` is the 支部大会 date the 党籍 counts from; a 正式党员 also needs the
    转正 date (党龄 counts from it); ``applied_on``, the 申请入党 date, when the roster has
    it. Nothing of the 25 steps is invented.
    """
    if state.stage != Stage.REGISTERED:
        raise RuleViolation("membership.import_only_new", stage=Stage.of(state.stage).label)
    if stage not in (Stage.FORMAL, Stage.PROBATIONARY):
        raise InvalidInput("membership.import_stage", stage=stage.value)
    not_in_future(admitted_on, rules)
    min_age = rules.policy.value("development.min_age_years")
    born = state.birth_date(rules.personal())
    for day in (applied_on, admitted_on):
        if day is not None and not full_years_reached(born, min_age, day):
            # Like an application, never the age nor the day of coming of age (it would
            # give the sealed birth date back).
            raise RuleViolation(
                "membership.import_under_age", min_age=min_age, on=day, pack=rules.policy.ref
            )
    years = rules.policy.value("development.probation_years")
    ends = add_months(admitted_on, 12 * years)
    changes: PersonChanges = {
        "stage": stage.value,
        "membership_since": admitted_on,
        "admission_vote_on": admitted_on,
        "probation_ends_on": ends,
    }
    if stage is Stage.FORMAL:
        if formal_since is None or formal_since < ends:
            raise RuleViolation(
                "membership.import_formal_since", formal_since=formal_since, earliest=ends
            )
        not_in_future(formal_since, rules)
        changes["formal_since"] = formal_since
    else:
        changes["due"] = due_with(state, conversion=ends)
    if applied_on is not None:
        if applied_on > admitted_on:
            raise RuleViolation(
                "membership.import_applied_after_admission",
                applied_on=applied_on,
                admitted_on=admitted_on,
            )
        changes["applied_on"] = applied_on
    evidence: ImportedMembership = {"source": source, "admitted_on": admitted_on}
    if origin is not None:  # the imported row: file, sheet, row, the file's SHA-256
        evidence["origin"] = origin
    if applied_on is not None:
        evidence["applied_on"] = applied_on
    return Decision(evidence, changes)
