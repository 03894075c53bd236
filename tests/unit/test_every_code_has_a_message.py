"""Every problem code the services and the spreadsheet kernel raise has Chinese and English
text (a broken registration shows a bare code to a clerk)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiceng.registry import definition

ROOT = Path(__file__).parents[2]
RAISED = re.compile(
    r"(?:RuleViolation|InvalidInput|NotFound|Conflict|JicengError|CellError|Forbidden|"
    r'UnsupportedMediaType|Unauthenticated|Unavailable)\(\s*"([a-z_]+\.[a-z_.]+)"',
    re.S,
)


def raised_in(folder: Path) -> set[str]:
    return {c for path in folder.rglob("*.py") for c in RAISED.findall(path.read_text("utf-8"))}


@pytest.mark.parametrize(
    ("folder", "service"),
    [
        ("services/org-registry/org_registry", "org-registry"),
        ("services/member-lifecycle/member_lifecycle", "member-lifecycle"),
        # The kernel's codes come with every service's texts.
        ("shared/jiceng/sheets", "assessment"),
        ("shared/jiceng/api", "funding"),
        ("shared/jiceng/auth", "funding"),
    ],
)
def test_every_raised_code_has_its_texts(folder: str, service: str) -> None:
    codes = raised_in(ROOT / folder)
    assert codes
    lookup = definition(service).texts().lookup
    missing = sorted(c for c in codes if lookup(c).title_zh == c or not lookup(c).title_en)
    assert missing == []
