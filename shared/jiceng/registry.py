"""Which services exist: each registers itself once, by its package's ``bootstrap.service``.

``setup.py`` names every ``services/<name>/<package>/bootstrap.py`` in the ``jiceng.services``
entry-point group; the CLI, the gateway and the settings' default ports all read this.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from types import ModuleType
from typing import TYPE_CHECKING

from jiceng.settings import Settings

if TYPE_CHECKING:
    from jiceng.definition import ServiceDefinition

GROUP = "jiceng.services"


@cache
def _entries() -> dict[str, tuple[str, ServiceDefinition]]:
    found: dict[str, tuple[str, ServiceDefinition]] = {}
    for entry in entry_points(group=GROUP):
        definition: ServiceDefinition = entry.load()
        if definition.name != entry.name:  # pragma: no cover - a service's own mistake
            msg = f"services/{entry.name} defines a service named {definition.name!r}"
            raise RuntimeError(msg)
        found[entry.name] = (entry.module, definition)
    # Started in port order: org-registry first, whose tree every other service copies.
    return dict(sorted(found.items(), key=lambda item: item[1][1].port))


def service_names() -> tuple[str, ...]:
    """Every installed service, in the order they start."""
    return tuple(_entries())


def definition(service: str) -> ServiceDefinition:
    if service not in _entries():
        msg = f"unknown service {service!r}; one of: {', '.join(service_names())}"
        raise KeyError(msg)
    return _entries()[service][1]


def bootstrap(service: str) -> ModuleType:
    """The service's composition root module (``<package>.bootstrap``)."""
    definition(service)
    return importlib.import_module(_entries()[service][0])


def package(service: str) -> str:
    """The service's Python package."""
    return bootstrap(service).__name__.rsplit(".", 1)[0]


def port_of(settings: Settings, service: str) -> int:
    """Where ``service`` listens: ``JICENG_PORTS`` if it names it, else the service's own."""
    return settings.ports.get(service) or definition(service).port


def url_of(settings: Settings, service: str) -> str:
    """Where ``service`` answers HTTP (its own port unless configured otherwise)."""
    configured = settings.service_urls.get(service)
    return configured or f"http://{settings.host}:{port_of(settings, service)}"
