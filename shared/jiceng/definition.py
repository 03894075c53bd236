"""What a service is, for its composition root: its log, read models, routes and texts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import APIRouter, FastAPI

from jiceng.api.app import create_api
from jiceng.api.imports import ImporterFactory, import_router, jobs_router
from jiceng.copies import ORG_TREE, Copy
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.storage import Storage
from jiceng.followers.reacting import Reaction
from jiceng.messages import KERNEL_MESSAGES, Message, Messages
from jiceng.policy import PolicyCatalogue
from jiceng.readmodel.projection import Projection
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.messages import SHEET_MESSAGES
from jiceng.tracing import Tracing


@dataclass(frozen=True)
class SheetImport:
    """A kind of spreadsheet a service imports: ``POST …/imports/<kind>`` and
    ``jiceng import <kind>`` both build the importer with ``factory``."""

    kind: str
    factory: ImporterFactory
    mapping: Callable[[], Mapping]


@dataclass(frozen=True)
class ServiceDefinition:
    """A service, declared once in its package's ``bootstrap.py`` as ``service``: that is all it
    takes to register one (see :mod:`jiceng.registry`)."""

    name: str
    #: where it listens unless ``JICENG_PORTS`` says otherwise; services start in port order
    port: int
    log_class: Callable[[Storage], EventLog]
    title: str
    description: str
    routers: Sequence[APIRouter] = ()
    #: its problem texts, by code (the kernel's come with every service)
    messages: Sequence[dict[str, Message]] = ()
    #: copies of other services' data it keeps besides the org tree (``jiceng.copies``)
    copies: Sequence[Copy] = ()
    #: (upstream service, projection) pairs of its own read models; the service's own name
    #: for its own log.
    follows: Callable[[Settings], Sequence[tuple[str, Projection]]] = field(
        default=lambda _settings: ()
    )
    #: (upstream service, name, reaction): reactions that save new events in this service.
    reacts: Callable[[], Sequence[tuple[str, str, Reaction]]] = field(default=tuple)
    #: spreadsheets this service imports (routes and CLI come with them)
    imports: Sequence[SheetImport] = ()
    #: builds the service's command handlers (a :class:`jiceng.commands.Handlers`) from its
    #: runtime; routes get them with ``Depends(handlers(TheirClass))``.
    handlers: Callable[[ServiceRuntime], Any] | None = None

    def texts(self) -> Messages:
        """Every problem text this service answers with: the kernel's, then its own."""
        return Messages(KERNEL_MESSAGES, SHEET_MESSAGES, *self.messages)

    def upstreams(self, settings: Settings) -> frozenset[str]:
        """The other services whose feeds this one's followers read: its network flows
        (``deploy/k8s`` allows exactly these)."""
        names = {ORG_TREE.upstream, *(copy.upstream for copy in self.copies)}
        names |= {upstream for upstream, _ in self.follows(settings)}
        names |= {upstream for upstream, _, _ in self.reacts()}
        return frozenset(names - {self.name})

    def build_runtime(
        self,
        settings: Settings,
        storage: Storage | None = None,
        *,
        clock: Callable[[], date] | None = None,
        catalogue: PolicyCatalogue | None = None,
        tracing: Tracing | None = None,
    ) -> ServiceRuntime:
        """The service's parts; ``clock`` and ``catalogue`` replace today's date and the
        policy packs shipped (tests freeze the date here), ``tracing`` what the ``OTEL_*``
        variables configure (tests keep spans in memory)."""
        runtime = ServiceRuntime.build(
            self.name,
            settings,
            self.log_class,
            self.follows(settings),
            storage=storage,
            copies=self.copies,
            messages=self.texts(),
            **({"clock": clock} if clock is not None else {}),
            catalogue=catalogue,
            tracing=tracing,
        )
        for upstream, name, reaction in self.reacts():
            runtime.react(upstream, name, reaction)
        return runtime

    def create_app(
        self,
        settings: Settings | None = None,
        storage: Storage | None = None,
        run_consumers: bool | None = None,
        *,
        clock: Callable[[], date] | None = None,
        catalogue: PolicyCatalogue | None = None,
        tracing: Tracing | None = None,
    ) -> FastAPI:
        runtime = self.build_runtime(
            settings or Settings(), storage, clock=clock, catalogue=catalogue, tracing=tracing
        )
        routers = list(self.routers)
        routers += [import_router(i.kind, i.factory, i.mapping) for i in self.imports]
        if self.imports:
            routers.append(jobs_router())
        app = create_api(
            runtime,
            routers,
            title=self.title,
            description=self.description,
            run_consumers=run_consumers,
        )
        app.state.handlers = self.handlers(runtime) if self.handlers is not None else None
        return app
