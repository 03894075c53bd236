"""Every policy-pack key the code reads exists in the packs shipped.

A rule reads its numbers by key (``policy.value("development.min_age_years")``); a key
misspelt in code would only fail when that rule first runs in production. This test reads the
source of the kernel and of every service, finds each literal key passed to ``value``,
``rule`` or ``get``, and looks it up: a required key (``value``/``rule``) in the base pack
every pack extends, an optional one (``get``, with a default) in at least one pack.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from jiceng.policy import default_catalogue
from jiceng.policy.catalogue import DEFAULT_PACK, PACKS_DIR

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "shared", *(p for p in (ROOT / "services").iterdir() if p.is_dir())]


def _packs() -> list[dict[str, object]]:

    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in PACKS_DIR.glob("*.toml")]


def _sections() -> set[str]:
    """The first part of every key in any pack (``development``, ``org``, ...)."""
    return {key.split(".", 1)[0] for pack in _packs() for key in pack.get("rules", {})}  # type: ignore[attr-defined]


def keys_read(method_names: tuple[str, ...]) -> dict[str, list[str]]:
    """Literal pack keys passed to ``.<method>(...)``, with where each is read."""
    sections = _sections()
    found: dict[str, list[str]] = {}
    for root in SOURCES:
        for path in root.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in method_names
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    continue
                key = node.args[0].value
                if "." in key and key.split(".", 1)[0] in sections:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(key, []).append(where)
    return found


def test_the_scan_finds_the_keys_the_rules_read() -> None:
    # A scan that found nothing would pass whatever the code reads.
    required = keys_read(("value", "rule"))
    assert len(required) >= 30
    assert "development.min_age_years" in required
    assert "org.term_years" in required


def test_every_required_key_is_in_the_base_pack() -> None:
    base = default_catalogue().policy(DEFAULT_PACK)
    missing = {
        key: where for key, where in keys_read(("value", "rule")).items() if base.get(key) is None
    }
    assert missing == {}


def test_every_optional_key_is_in_some_pack() -> None:
    stated = {key for pack in _packs() for key in pack.get("rules", {})}  # type: ignore[attr-defined]
    missing = {key: where for key, where in keys_read(("get",)).items() if key not in stated}
    assert missing == {}
