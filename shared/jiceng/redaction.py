"""What an error may say in logs, dead letters and health checks: never personal data.

A database error's text holds the statement's parameters (a name, a birth date) and the
server's detail (``Key (name)=(张三) already exists``). What is kept: the exception's class,
the SQLSTATE of a database error, the stable code of one of ours, and otherwise the message
with quoted text, dates, runs of six digits or more and any non-ASCII text taken out.
"""

from __future__ import annotations

import re
import traceback

from jiceng.errors import JicengError

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\([^()]*\)=\([^()]*\)")
# Identity numbers, phones and dates; ports, counts and addresses' octets stay readable.
_DIGITS = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{6,}")
_NON_ASCII = re.compile(r"[^\x20-\x7e]+")


def safe_error_text(error: BaseException, limit: int = 500) -> str:
    """A description of ``error`` that names no value it was given."""
    kind = type(error).__name__
    if isinstance(error, JicengError):
        return f"{kind}: {error.code}"
    original = getattr(error, "orig", None)  # SQLAlchemy wraps the driver's error
    if original is not None:
        state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
        inner = type(original).__name__
        return f"{kind} ({inner}{f', sqlstate {state}' if state else ''})"
    if isinstance(error, KeyError) and error.args and isinstance(error.args[0], str):
        return f"{kind}: {_scrub(repr(error.args[0]) if len(error.args[0]) <= 60 else '')}"
    first_line = str(error).split("\n", 1)[0]
    return f"{kind}: {_scrub(first_line)}"[:limit]


def _scrub(text: str) -> str:
    text = _QUOTED.sub("'…'", text)
    text = _DIGITS.sub("#", text)
    return _NON_ASCII.sub("…", text)


def safe_traceback(error: BaseException) -> str:
    """Where ``error`` came from (the frames, whose lines are code, not data) and what it
    was, described by :func:`safe_error_text`, for each error in its chain."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{frames}{safe_error_text(current)}")
        current = current.__cause__ or current.__context__
    return "\nCaused by:\n".join(reversed(parts)) if len(parts) > 1 else parts[0]
