"""Everything one running service holds, built once by the service's composition root."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import httpx
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import MetaData

from jiceng.audit.checkpoints import AuditCheckpoint
from jiceng.audit.index import AuditIndexProjection
from jiceng.audit.reads import AuditRead
from jiceng.audit.service import Auditor
from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.calendar.clock import today
from jiceng.consistency import note_wait
from jiceng.copies import ORG_TREE, Copy
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.storage import Storage
from jiceng.feed.signal import LogSignal, PostgresLogListener
from jiceng.followers.follower import Follower
from jiceng.followers.locks import LockSession
from jiceng.followers.positions import StoredPositions
from jiceng.followers.projecting import ProjectionFollower
from jiceng.followers.reacting import Reaction, ReactionFollower
from jiceng.followers.sources import FeedSource, HttpFeedSource, LocalFeedSource
from jiceng.messages import Messages
from jiceng.metrics import Metrics
from jiceng.orgtree.queries import OrgTree
from jiceng.policy import PolicyCatalogue, default_catalogue
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.projection import Projection
from jiceng.registry import url_of
from jiceng.settings import Settings
from jiceng.sheets.jobs import ImportJobs
from jiceng.tracing import Tracing, tracing_from_environment

log = logging.getLogger(__name__)

#: Follower states in which it does not move on.
FAILING_STATES = ("failing", "retrying", "disconnected")


@dataclass
class ServiceRuntime:
    name: str
    settings: Settings
    storage: Storage
    log: EventLog
    db: ReadModelDatabase
    tokens: TokenService
    #: Today's date in Beijing; tests freeze it here instead of patching a module.
    clock: Callable[[], date] = today
    #: The policy packs every rule reads its numbers from.
    catalogue: PolicyCatalogue = field(default_factory=default_catalogue)
    #: The problem texts this service answers with (the kernel's and its own), as its
    #: definition composed them.
    messages: Messages = field(default_factory=Messages)
    signal: LogSignal = field(default_factory=LogSignal)
    metrics: Metrics = field(default_factory=Metrics)
    #: OpenTelemetry spans of requests, feed reads, statements and pages applied (or none).
    tracing: Tracing = field(default_factory=Tracing)
    followers: dict[str, Follower] = field(default_factory=dict)
    http: httpx.AsyncClient | None = None
    auditor: Auditor | None = None
    #: Spreadsheet imports running as jobs (their rows live in the read-model database).
    imports: ImportJobs = field(init=False)
    #: This service's copy of the organisation tree (scope checks, the packs in force).
    orgtree: OrgTree = field(init=False)
    _read_models: list[ProjectionFollower] = field(default_factory=list)
    #: Positions of read models another process applies, for commands to wait on.
    _stored_positions: StoredPositions = field(init=False)
    _listener: PostgresLogListener | None = None
    #: The subscription locks this process holds (one connection for all of them).
    locks: LockSession = field(init=False)
    _started: bool = False

    def __post_init__(self) -> None:
        self.imports = ImportJobs(self.db)
        self.orgtree = OrgTree(self.db, self.catalogue)
        self.locks = LockSession(self.storage)
        self._stored_positions = StoredPositions(self.db)

    #: The server is shutting down: long-polls answer what they have instead of waiting.
    draining: bool = False

    @classmethod
    def build(
        cls,
        name: str,
        settings: Settings,
        log_factory: Callable[[Storage], EventLog],
        follows: Iterable[tuple[str, Projection]] = (),
        storage: Storage | None = None,
        copies: Iterable[Copy] = (),
        *,
        clock: Callable[[], date] = today,
        catalogue: PolicyCatalogue | None = None,
        messages: Messages | None = None,
        tracing: Tracing | None = None,
    ) -> ServiceRuntime:
        """A runtime keeping the org tree and ``copies`` of other services' data, and folding
        each ``(upstream, projection)`` of its own read models."""
        storage = storage or Storage.for_service(settings, name)
        tracing = tracing or tracing_from_environment(name)
        tracing.instrument_psycopg()  # before the event store opens its connections
        event_log = log_factory(storage)
        event_log.declare(AuditCheckpoint, AuditRead)
        # The chain is written in every append's transaction, with the configured hash.
        event_log.journal.algorithm = settings.audit_algorithm
        # Every service keeps its own copy of the organisation tree for scope checks.
        kept = [(c.upstream, c.projection()) for c in dict.fromkeys([ORG_TREE, *copies])]
        follows = list(follows)
        metadatas: list[MetaData] = [AuditIndexProjection.metadata]
        metadatas += [projection.metadata for _, projection in [*kept, *follows]]
        runtime = cls(
            name=name,
            settings=settings,
            storage=storage,
            log=event_log,
            db=ReadModelDatabase(storage, metadatas),
            tokens=TokenService(settings),
            clock=clock,
            catalogue=catalogue or default_catalogue(),
            messages=messages or Messages(),
            tracing=tracing,
        )
        tracing.instrument_engine(runtime.db.engine)
        runtime.metrics.registry.register(_ConsumerCollector(runtime))
        for upstream, projection in kept:
            runtime.follow(upstream, projection)
        # Every service indexes its own log for auditors (the chain is written by the log).
        runtime.follow(name, AuditIndexProjection(), serves_queries=False)
        runtime.auditor = Auditor(name, settings, event_log, runtime.db, runtime.locks)
        for upstream, projection in follows:
            runtime.follow(upstream, projection)
        return runtime

    # -- followers --------------------------------------------------------------------------
    def follow(
        self, upstream: str, projection: Projection, *, serves_queries: bool = True
    ) -> ProjectionFollower:
        """Fold ``upstream``'s feed into a read model.

        Commands wait for the read models that serve queries (read-your-writes), not for
        bookkeeping ones such as the audit chain.
        """
        consumer = ProjectionFollower(
            f"{upstream}:{projection.name}",
            self._source(upstream),
            projection,
            self.db,
            wait=self.settings.feed_wait_seconds,
            locks=self.locks,
            tracing=self.tracing,
        )
        self.followers[consumer.name] = consumer
        if serves_queries and upstream == self.name:
            self._read_models.append(consumer)
        return consumer

    def react(self, upstream: str, name: str, reaction: Reaction) -> ReactionFollower:
        """Follow ``upstream``'s feed with a reaction that saves new events in this service."""
        consumer = ReactionFollower(
            f"{upstream}:{name}",
            self._source(upstream),
            self.log,
            reaction,
            self.db,
            service=self.name,
            wait=self.settings.feed_wait_seconds,
            locks=self.locks,
            tracing=self.tracing,
        )
        self.followers[consumer.name] = consumer
        return consumer

    def _source(self, upstream: str) -> FeedSource:
        """This service's own log when it is the upstream, else the upstream's HTTP feed."""
        if upstream == self.name:
            poll = 0.2 if self.storage.kind == "sqlite" else None  # no NOTIFY across processes
            return LocalFeedSource(self.log, self.signal, upstream, poll=poll)
        if self.http is None:
            self.http = httpx.AsyncClient(timeout=httpx.Timeout(10.0))
            self.tracing.instrument_client(self.http)
        return HttpFeedSource(
            url_of(self.settings, upstream), upstream, self._feed_credential(), self.http
        )

    def _feed_credential(self) -> Callable[[], str]:
        if self.settings.feed_credential is not None:
            fixed = self.settings.feed_credential.get_secret_value()
            return lambda: fixed
        cached: dict[str, float | str] = {}

        def mint() -> str:
            if float(cached.get("expires", 0)) - time.time() < 600:
                cached["token"] = self.tokens.mint(f"service:{self.name}", [Role.SYSTEM])
                cached["expires"] = time.time() + 12 * 3600
            return str(cached["token"])

        return mint

    def follower_for(self, upstream: str, name: str) -> Follower:
        return self.followers[f"{upstream}:{name}"]

    # -- lifecycle --------------------------------------------------------------------------
    def drain(self) -> None:
        """Called from the server's signal handler: wake every long-poll so it answers now."""
        self.draining = True
        self.signal.bump_threadsafe()

    async def start(self, *, run_consumers: bool | None = None) -> None:
        loop = asyncio.get_running_loop()
        self.signal.bind(loop)
        self.log.add_listener(self.signal.bump_threadsafe)
        await self.db.create_all()
        # An older log's events are chained before anything new is appended after them.
        await asyncio.to_thread(self.log.chain_catch_up)
        channel = getattr(self.log.recorder, "channel_name", None)
        if self.storage.kind == "postgres" and channel:
            assert self.storage.postgres_url is not None
            self._listener = PostgresLogListener(self.storage.postgres_url, channel, self.signal)
            self._listener.start()
        if self.settings.run_consumers if run_consumers is None else run_consumers:
            for consumer in self.followers.values():
                if consumer.source.upstream == self.name or self.settings.follow_remote_feeds:
                    consumer.start()
        if self.auditor is not None and (
            self.settings.run_consumers if run_consumers is None else run_consumers
        ):
            self.auditor.start()
        self._started = True

    async def stop(self) -> None:
        await self.imports.stop()
        if self.auditor is not None:
            await self.auditor.stop()
        for consumer in self.followers.values():
            await consumer.stop()
        if self._listener is not None:
            await self._listener.stop()
        await self.locks.close()
        self.log.remove_listener(self.signal.bump_threadsafe)
        if self.http is not None:
            await self.http.aclose()
            self.http = None
        await self.db.dispose()
        with contextlib.suppress(Exception):
            self.log.close()
        self.tracing.stop()
        self._started = False

    async def read_your_writes(self, position: int, timeout: float | None = None) -> bool:
        """Wait until the read models of this service's own log have reached ``position``,
        applied here or by any other process; ``False`` (and the answer says it is behind)
        when the wait timed out."""
        timeout = self.settings.read_your_writes_seconds if timeout is None else timeout
        here = [c for c in self._read_models if c.active]
        elsewhere = [c.name for c in self._read_models if not c.active]
        waiting = [c.wait_for(position, timeout) for c in here]
        if elsewhere:
            waiting.append(self._stored_positions.wait_for(elsewhere, position, timeout))
        reached = all(await asyncio.gather(*waiting))
        note_wait(position, reached)
        if not reached:
            log.warning("read models did not reach %s in %ss", position, timeout)
        return reached


class _ConsumerCollector(Collector):
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[GaugeMetricFamily]:
        lag = GaugeMetricFamily(
            "jiceng_consumer_lag_events", "Events behind upstream head", labels=["consumer"]
        )
        position = GaugeMetricFamily(
            "jiceng_consumer_position", "Last applied event id", labels=["consumer"]
        )
        dead = GaugeMetricFamily(
            "jiceng_consumer_dead_letters", "Dead-lettered events", labels=["consumer"]
        )
        failing = GaugeMetricFamily(
            "jiceng_consumer_failing",
            "1 while the follower fails or retries a fault (storage, upstream)",
            labels=["consumer"],
        )
        active = GaugeMetricFamily(
            "jiceng_consumer_active",
            "1 where this process applies the subscription (not on standby)",
            labels=["consumer"],
        )
        for consumer in self.runtime.followers.values():
            lag.add_metric([consumer.name], consumer.status.lag)
            position.add_metric([consumer.name], consumer.status.position)
            dead.add_metric([consumer.name], consumer.status.dead_letters)
            state = consumer.status.state
            failing.add_metric([consumer.name], int(state in FAILING_STATES))
            active.add_metric([consumer.name], int(consumer.active))
        yield lag
        yield position
        yield dead
        yield failing
        yield active
