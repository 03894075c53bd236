"""Every problem code member-lifecycle raises has its Chinese and English text."""

from __future__ import annotations

import re
from pathlib import Path

from jiceng.registry import definition

lookup = definition("member-lifecycle").texts().lookup

SOURCE = Path(__file__).parents[2] / "services" / "member-lifecycle" / "member_lifecycle"
RAISED = re.compile(r'(?:RuleViolation|InvalidInput|NotFound|Conflict)\(\s*f?"([^"]+)"', re.S)
#: Codes made from a prefix (``f"{code}_count"``) with the prefixes passed in.
FAMILIES = ("development.contacts", "development.introducers")


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for code in RAISED.findall(path.read_text(encoding="utf-8")):
            if code.startswith("{code}"):
                codes.update(family + code.removeprefix("{code}") for family in FAMILIES)
            else:
                codes.add(code)
    return codes


def test_every_code_has_a_message_in_both_languages() -> None:
    codes = raised_codes()
    assert len(codes) > 60
    missing = sorted(c for c in codes if lookup(c).title_zh == c)
    assert missing == []
    for code in codes:
        message = lookup(code)
        assert message.title_en and message.title_zh != message.title_en, code
