"""The layers hold: the kernel never imports upward, and below the routes nothing knows the web.

A lower module importing a higher one (the event log the audit, the runtime the API) ties
the pieces a service composes back into a knot; a handler or an aggregate that imports
FastAPI can no longer be used by the importer, a reaction or a test without a request. The
check reads every import statement, including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KERNEL = ROOT / "shared" / "jiceng"
SERVICES = [p for p in (ROOT / "services").iterdir() if p.is_dir()]

#: Composition: builds a service from the parts below and serves it.
TOP = ("jiceng.api", "jiceng.cli", "jiceng.gateway", "jiceng.definition", "jiceng.__main__")
#: The running service and its service layer: may use every part, never the composition.
MIDDLE = ("jiceng.runtime", "jiceng.commands", "jiceng.copies", "jiceng.registry")
WEB = ("fastapi", "starlette", "uvicorn")


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports when it runs, at the top or inside a function (imports
    for type checkers only are not dependencies)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def kernel_modules() -> list[tuple[str, Path]]:
    return [(module_name(p, KERNEL.parent), p) for p in sorted(KERNEL.rglob("*.py"))]


def test_the_scan_sees_the_kernel() -> None:
    names = {name for name, _ in kernel_modules()}
    assert {"jiceng.runtime", "jiceng.eventlog.application", "jiceng.api.deps"} <= names


@pytest.mark.parametrize(("name", "path"), kernel_modules(), ids=lambda v: str(v))
def test_no_kernel_module_imports_upward(name: str, path: Path) -> None:
    found = imports(path)
    if within(name, TOP):
        return
    upward = TOP if within(name, MIDDLE) else TOP + MIDDLE
    assert sorted(i for i in found if within(i, upward)) == []
    if within(name, ("jiceng.eventlog",)):
        assert sorted(i for i in found if within(i, ("jiceng.audit",))) == []


def below_the_routes() -> list[Path]:
    """A service's domain, commands, application, projections and reactions; the kernel's
    service layer."""
    paths = [KERNEL / "commands.py", KERNEL / "scope.py"]
    for service in SERVICES:
        for package in (p for p in service.iterdir() if (p / "__init__.py").exists()):
            for part in ("domain", "commands", "projections"):
                paths += sorted((package / part).rglob("*.py"))
            paths += [package / "application.py", package / "reactions.py"]
    return [p for p in paths if p.exists()]


@pytest.mark.parametrize("path", below_the_routes(), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_below_the_routes_imports_the_web(path: Path) -> None:
    assert sorted(i for i in imports(path) if within(i, WEB)) == []


@pytest.mark.parametrize(
    "path",
    [p for s in SERVICES for p in sorted(s.glob("*/domain/*.py"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_domain_code_imports_no_framework_and_no_storage(path: Path) -> None:
    frameworks = (*WEB, "sqlalchemy", "httpx", "jiceng.api", "jiceng.readmodel", "jiceng.runtime")
    assert sorted(i for i in imports(path) if within(i, frameworks)) == []
