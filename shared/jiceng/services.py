"""Where each service's composition root lives (for the CLI, which starts any of them)."""

from __future__ import annotations

import importlib
from types import ModuleType

from jiceng.settings import SERVICES

BOOTSTRAP_MODULES: dict[str, str] = {
    "org-registry": "org_registry.bootstrap",
    "member-lifecycle": "member_lifecycle.bootstrap",
    "assessment": "assessment.bootstrap",
    "funding": "funding.bootstrap",
}
assert tuple(BOOTSTRAP_MODULES) == SERVICES


def bootstrap(service: str) -> ModuleType:
    if service not in BOOTSTRAP_MODULES:
        msg = f"unknown service {service!r}; one of: {', '.join(SERVICES)}"
        raise KeyError(msg)
    return importlib.import_module(BOOTSTRAP_MODULES[service])
