"""What an imported roster row says of a person's history, and where a refusal points."""

from __future__ import annotations

from datetime import date

from jiceng.errors import JicengError
from jiceng.sheets.importing import Origin
from member_lifecycle.domain.changes import RowOrigin
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import Stage, Step
from member_lifecycle.domain.step_input import Dated
from member_lifecycle.imports_rows import CATEGORY_LABELS, PersonRow

#: Which column a rule's refusal points at, by the rule's code (prefixes last).
COLUMN_OF = {
    "person.gender_mismatch": "gender",
    "person.birth_date_mismatch": "birth_date",
    "person.birth_date_implausible": "resident_id",
    "person.name_empty": "name",
    "membership.import_formal_since": "formal_since",
    "import.registered_elsewhere": "resident_id",
    "person.already_registered": "resident_id",
    "import.history_differs": "category",
    "development.": "applied_on",
    "membership.": "admitted_on",
    "ids.": "resident_id",
}


def record_history(person: Person, row: PersonRow, origin: Origin, rules: Rules) -> None:
    """What the row says of the person's past: their membership, or their application."""
    source = f"表格导入：{origin.describe()}"
    if row.category == "applicant":
        assert row.applied_on is not None
        person.take_step(Step.APPLICATION, Dated(row.applied_on), rules, row_origin(origin))
    else:
        assert row.admitted_on is not None
        stage = Stage.FORMAL if row.category == "formal" else Stage.PROBATIONARY
        person.import_membership(
            stage,
            row.admitted_on,
            row.formal_since,
            source,
            rules,
            row_origin(origin),
            applied_on=row.applied_on,
        )


def row_origin(origin: Origin) -> RowOrigin:
    """The imported row an event names (file, sheet, row, the file's SHA-256)."""
    return {"file": origin.file, "sheet": origin.sheet, "row": origin.row, "sha256": origin.sha256}


def decided_on(row: PersonRow, today_: date) -> date:
    return row.admitted_on or row.applied_on or today_


def column_of(error: JicengError, row: PersonRow) -> str:
    """The column a domain refusal points at: the date it names, else by its code."""
    named = error.params.get("on")
    for field in ("applied_on", "admitted_on", "formal_since"):
        if named is not None and getattr(row, field) == named:
            return field
    code = error.code
    for prefix, column in COLUMN_OF.items():
        if code == prefix or (prefix.endswith(".") and code.startswith(prefix)):
            return column
    return "name"


def check_same_history(person: Person, row: PersonRow) -> None:
    """A person further along than registration: the file must say what is recorded."""
    recorded_on = person.membership_since or person.applied_on
    given_on = row.admitted_on or row.applied_on
    same = (
        (row.category == "applicant" and person.stage == Stage.APPLICANT)
        or (row.category == "probationary" and person.stage == Stage.PROBATIONARY)
        or (row.category == "formal" and person.stage == Stage.FORMAL)
    ) and (
        recorded_on == given_on
        and (row.category != "formal" or person.formal_since == row.formal_since)
    )
    if not same:
        raise JicengError(
            "import.history_differs",
            recorded=Stage.of(person.stage).label,
            recorded_on=recorded_on or "—",
            given=CATEGORY_LABELS[row.category],
            given_on=given_on or "—",
        )
