"""Which services exist: each registers itself once, by its package's ``bootstrap.service``.

``setup.py`` names every ``services/<name>/<package>/bootstrap.py`` in the ``jiceng.services``
entry-point group; the CLI, the gateway and the runtime's upstream URLs all read this. Names
and ports come from the installed metadata and the package's ``PORT``, without importing any
service: a process serving one service loads that one only.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import TYPE_CHECKING

from jiceng.settings import Settings

if TYPE_CHECKING:
    from jiceng.definition import ServiceDefinition

GROUP = "jiceng.services"


@cache
def _entries() -> dict[str, EntryPoint]:
    return {entry.name: entry for entry in entry_points(group=GROUP)}


def _entry(service: str) -> EntryPoint:
    if service not in _entries():
        msg = f"unknown service {service!r}; one of: {', '.join(service_names())}"
        raise KeyError(msg)
    return _entries()[service]


def package(service: str) -> str:
    """The service's Python package."""
    return _entry(service).module.rsplit(".", 1)[0]


def _own_port(service: str) -> int:
    port: int = importlib.import_module(package(service)).PORT
    return port


def service_names() -> tuple[str, ...]:
    """Every installed service, in the order they start: by port, org-registry first, whose
    tree every other service copies."""
    return tuple(sorted(_entries(), key=_own_port))


def definition(service: str) -> ServiceDefinition:
    """The service's definition (importing that service, and no other)."""
    found: ServiceDefinition = _entry(service).load()
    if found.name != service:  # pragma: no cover - a service's own mistake
        msg = f"services/{service} defines a service named {found.name!r}"
        raise RuntimeError(msg)
    return found


def bootstrap(service: str) -> ModuleType:
    """The service's composition root module (``<package>.bootstrap``)."""
    return importlib.import_module(_entry(service).module)


def port_of(settings: Settings, service: str) -> int:
    """Where ``service`` listens: ``JICENG_PORTS`` if it names it, else the service's own."""
    return settings.ports.get(service) or _own_port(service)


def url_of(settings: Settings, service: str) -> str:
    """Where ``service`` answers HTTP (its own port unless configured otherwise)."""
    configured = settings.service_urls.get(service)
    return configured or f"http://{settings.host}:{port_of(settings, service)}"
