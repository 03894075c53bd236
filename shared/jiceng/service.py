"""What a service is, for its composition root: its log, read models, routes and texts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fastapi import APIRouter, FastAPI

from jiceng.api.app import create_api
from jiceng.api.imports import ImporterFactory, import_router, jobs_router
from jiceng.consumer.process import Policy
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.storage import Storage
from jiceng.readmodel.projection import Projection
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings
from jiceng.sheets.mapping import Mapping


@dataclass(frozen=True)
class SheetImport:
    """A kind of spreadsheet a service imports: ``POST …/imports/<kind>`` and
    ``jiceng import <kind>`` both build the importer with ``factory``."""

    kind: str
    factory: ImporterFactory
    mapping: Callable[[], Mapping]


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    log_class: Callable[[Storage], EventLog]
    title: str
    description: str
    routers: Sequence[APIRouter] = ()
    #: (upstream service, projection) pairs; the service's own name for its own log.
    follows: Callable[[Settings], Sequence[tuple[str, Projection]]] = field(
        default=lambda _settings: ()
    )
    #: (upstream service, name, policy): reactions that save new events in this service.
    reacts: Callable[[], Sequence[tuple[str, str, Policy]]] = field(default=tuple)
    #: spreadsheets this service imports (routes and CLI come with them)
    imports: Sequence[SheetImport] = ()

    def build_runtime(self, settings: Settings, storage: Storage | None = None) -> ServiceRuntime:
        runtime = ServiceRuntime.build(
            self.name, settings, self.log_class, self.follows(settings), storage=storage
        )
        for upstream, name, policy in self.reacts():
            runtime.react(upstream, name, policy)
        return runtime

    def create_app(
        self,
        settings: Settings | None = None,
        storage: Storage | None = None,
        run_consumers: bool | None = None,
    ) -> FastAPI:
        runtime = self.build_runtime(settings or Settings(), storage)
        routers = list(self.routers)
        routers += [import_router(i.kind, i.factory, i.mapping) for i in self.imports]
        if self.imports:
            routers.append(jobs_router())
        return create_api(
            runtime,
            routers,
            title=self.title,
            description=self.description,
            run_consumers=run_consumers,
        )
