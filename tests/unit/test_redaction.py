"""Errors in logs, dead letters and readiness name no value a request or an event carried."""

from __future__ import annotations

import sqlalchemy.exc

from jiceng.errors import RuleViolation
from jiceng.redaction import safe_error_text, safe_traceback

SECRET = "张三 110105199003070011"


class DriverError(Exception):
    sqlstate = "23505"


def test_a_database_error_keeps_its_class_and_sqlstate_only() -> None:
    driver = DriverError(f"duplicate key value: Key (name)=({SECRET}) already exists")
    wrapped = sqlalchemy.exc.IntegrityError("INSERT INTO people VALUES ($1)", (SECRET,), driver)
    text = safe_error_text(wrapped)
    assert text == "IntegrityError (DriverError, sqlstate 23505)"


def test_other_errors_lose_quoted_text_digits_and_non_ascii() -> None:
    text = safe_error_text(
        ValueError(f"invalid literal for int(): '{SECRET}' at 110105199003070011")
    )
    assert "张三" not in text and "110105" not in text
    assert text.startswith("ValueError: invalid literal for int()")
    assert safe_error_text(RuleViolation("vote.quorum_not_met", name="张三")) == (
        "RuleViolation: vote.quorum_not_met"
    )
    assert safe_error_text(KeyError("resident_id_sealed")) == "KeyError: '…'"


def test_a_traceback_shows_where_not_what() -> None:
    try:
        try:
            raise ValueError(SECRET)
        except ValueError as inner:
            raise RuntimeError(f"while folding {SECRET}") from inner
    except RuntimeError as error:
        text = safe_traceback(error)
    assert "test_redaction.py" in text and "Caused by" in text
    assert "张三" not in text and "110105199003070011" not in text
