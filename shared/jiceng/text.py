"""What text the system accepts: no control characters and no lone surrogates.

A NUL byte is accepted by SQLite and by JSON but refused by PostgreSQL's text type, and a lone
surrogate (``"\\ud800"`` in JSON) cannot be encoded as UTF-8 at all: either, once in an event,
breaks every read model that copies the string. Other control characters have no business in
a name or a code either. Free text may hold line breaks and tabs.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls and the surrogate range.
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_EXCEPT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control_characters(text: str, *, allow_line_breaks: bool = False) -> bool:
    """Whether ``text`` holds a character no stored string may hold."""
    pattern = _CONTROL_EXCEPT_LINES if allow_line_breaks else _ANY_CONTROL
    return pattern.search(text) is not None


# Format characters that hide or reorder text (bidi overrides, zero-width spaces and
# joiners, the BOM): in a name they make one name pass for another.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def has_invisible_characters(text: str) -> bool:
    """Whether ``text`` holds a character that is not shown or reorders what is."""
    return _INVISIBLE.search(text) is not None


def first_control_character(text: str, *, allow_line_breaks: bool = False) -> int | None:
    """The position of the first such character, or None."""
    pattern = _CONTROL_EXCEPT_LINES if allow_line_breaks else _ANY_CONTROL
    found = pattern.search(text)
    return found.start() if found else None
