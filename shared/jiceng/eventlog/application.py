"""Base eventsourcing application of every service.

Every save names its attribution (:class:`EventMeta`); the mapper writes it into the stored
event's state as ``meta``, so the feed, auditors and replays see who, why and under which
rule without a second table. Saves report the new log head to listeners (the feed's long-poll
and the service's own projections wake on it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import Aggregate, DomainEvent, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    ProcessRecorder,
    Recording,
    StoredEvent,
    Tracking,
    Transcoding,
)
from eventsourcing.utils import get_topic

from jiceng.errors import StaleVersion
from jiceng.eventlog.journal import Journal, RecordedSave, SaveClaim, StoredResponse
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.recorders import CLAIM, JournalRecorder, MemoryJournalRecorder
from jiceng.eventlog.storage import Storage

_current_meta: ContextVar[EventMeta | None] = ContextVar("jiceng_event_meta", default=None)


class UnattributedEventError(RuntimeError):
    """An event was about to be stored without saying who caused it."""


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class AttributingMapper(Mapper[UUID]):
    """Adds the current save's :class:`EventMeta` to each event's stored state."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if "meta" in vars(domain_event):  # attributed one by one (events caused by events)
            return super().to_stored_event(domain_event)
        meta = _current_meta.get()
        if meta is None:
            msg = f"{type(domain_event).__qualname__} saved without EventMeta"
            raise UnattributedEventError(msg)
        # Events are frozen dataclasses; the meta rides along in __dict__ (as a replayed
        # event's does), outside the dataclass fields, so it never changes event equality.
        object.__setattr__(domain_event, "meta", meta.as_dict())
        return super().to_stored_event(domain_event)


class EventLog(Application[UUID]):
    """An event-sourced application whose saves are attributed and observable."""

    #: Aggregate classes of this application: their events make up the feed's types.
    aggregate_classes: ClassVar[tuple[type[Any], ...]] = ()

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._listeners: list[Callable[[int], None]] = []
        self._listeners_lock = threading.Lock()
        #: Aggregates every log carries besides the service's own (the audit's checkpoints
        #: and reads), declared by whoever composes the service: see :meth:`declare`.
        self._kernel_aggregates: tuple[type[Any], ...] = ()
        storage.prepare()
        env = storage.eventsourcing_env()
        if storage.kind == "sqlite":
            env["PROCESS_RECORDER_TOPIC"] = "jiceng.eventlog.recorders:SQLiteJournalRecorder"
        elif storage.kind == "postgres":
            env["PROCESS_RECORDER_TOPIC"] = "jiceng.eventlog.recorders:PostgresJournalRecorder"
        super().__init__(env=env)
        self.journal.service = storage.service
        self.journal.mapper = self.mapper

    def declare(self, *aggregate_classes: type[Any]) -> None:
        """Name aggregates the kernel keeps in this log (their events join the feed's types)."""
        self._kernel_aggregates += aggregate_classes

    # -- construction -------------------------------------------------------------------
    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=AttributingMapper
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def construct_recorder(self) -> ProcessRecorder:
        # A process recorder is an application recorder that can also record tracking, so
        # a consumer can save new events and its upstream position in one transaction; ours
        # also writes the journal (audit chain, idempotency records) in that transaction.
        if self.storage.kind == "memory":
            return MemoryJournalRecorder()
        return self.factory.process_recorder()

    @property
    def journal(self) -> Journal:
        return self._journal_recorder.journal

    @property
    def _journal_recorder(self) -> JournalRecorder:
        recorder = self.recorder
        assert isinstance(recorder, JournalRecorder)
        return recorder

    # -- writing ------------------------------------------------------------------------
    def save(  # type: ignore[override]
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEvent | None,
        meta: EventMeta,
        claim: SaveClaim | None = None,
    ) -> list[Recording[UUID]]:
        """Store the pending events of ``objs`` in one transaction, attributed to ``meta``
        (and, under an Idempotency-Key, recording ``claim`` in the same transaction).

        A concurrent writer having saved the same stream (or the same claim) first raises
        :class:`StaleVersion`.
        """
        kwargs = {CLAIM: claim} if claim is not None else {}
        return self._attributed(meta, lambda: super(EventLog, self).save(*objs, **kwargs))

    def save_processed(
        self,
        tracking: Tracking,
        *objs: MutableOrImmutableAggregate[UUID] | None,
        meta: EventMeta,
    ) -> list[Recording[UUID]]:
        """Store new events together with the upstream position that caused them."""

        def record() -> list[Recording[UUID]]:
            processing: ProcessingEvent[UUID] = ProcessingEvent(tracking=tracking)
            processing.collect_events(*objs)
            return self._record(processing)

        return self._attributed(meta, record)

    def prepare(self, *aggregates: Aggregate, meta: EventMeta) -> list[StoredEvent]:
        """The pending events of ``aggregates`` as they would be stored (attributed, sealed,
        encrypted if the log is), for :meth:`insert_prepared` to store later: a bulk import
        checks a whole file first and writes only then, without building anything twice."""
        attribution = meta.as_dict()
        stored: list[StoredEvent] = []
        for aggregate in aggregates:
            for event in aggregate.collect_events():
                if "meta" not in vars(event):
                    object.__setattr__(event, "meta", attribution)
                stored.append(self.mapper.to_stored_event(event))
        return stored

    def insert_prepared(self, stored: Sequence[StoredEvent]) -> int:
        """Store prepared events in one transaction; the position of the last one.

        A stream someone else wrote meanwhile raises :class:`StaleVersion` (nothing stored).
        """
        try:
            ids = self.recorder.insert_events(stored)
        except IntegrityError as error:
            raise StaleVersion("concurrency.conflict") from error
        head = max(ids or [0])
        if head:
            self._announce(head)
        return head

    def _attributed(
        self, meta: EventMeta, write: Callable[[], list[Recording[UUID]]]
    ) -> list[Recording[UUID]]:
        token = _current_meta.set(meta)
        try:
            recordings = write()
        except IntegrityError as error:
            raise StaleVersion("concurrency.conflict") from error
        finally:
            _current_meta.reset(token)
        if recordings:
            self._announce(max(r.notification.id for r in recordings))
        return recordings

    # -- observing ----------------------------------------------------------------------
    def add_listener(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(head)`` after each save (from the saving thread)."""
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[int], None]) -> None:
        with self._listeners_lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _announce(self, head: int) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(head)

    # -- the journal ------------------------------------------------------------------------
    def chain_catch_up(self) -> int:
        """Chain the events stored before the chain existed; how many were chained."""
        with self._journal_recorder.journal_write(lock=True) as cursor:
            return self.journal.catch_up(cursor)

    def chain(self, after: int = 0, limit: int | None = None) -> list[tuple[int, str]]:
        """``(event id, digest)`` of the chained events after ``after``."""
        with self._journal_recorder.journal_read() as cursor:
            return self.journal.chain(cursor, after, limit)

    def chain_head(self) -> tuple[int, str] | None:
        with self._journal_recorder.journal_read() as cursor:
            cursor.execute(
                self.journal.dialect.sql(
                    "SELECT event_id, digest FROM {chain} ORDER BY event_id DESC LIMIT 1"
                )
            )
            row = cursor.fetchone()
        return (int(row["event_id"]), str(row["digest"])) if row else None

    def recorded_save(self, claim: SaveClaim) -> RecordedSave | None:
        with self._journal_recorder.journal_read() as cursor:
            return self.journal.recorded_save(cursor, claim.scope, claim.seq)

    def idempotency_outcome(self, scope: str) -> tuple[set[str], StoredResponse | None]:
        """The request hashes recorded under ``scope``, and the response kept for it."""
        with self._journal_recorder.journal_read() as cursor:
            return self.journal.request_hashes(cursor, scope), self.journal.response(cursor, scope)

    def keep_response(self, response: StoredResponse) -> None:
        with self._journal_recorder.journal_write() as cursor:
            self.journal.keep_response(cursor, response)

    def forget_idempotency_before(self, moment: datetime) -> None:
        with self._journal_recorder.journal_write() as cursor:
            self.journal.forget_before(cursor, moment)

    # -- reading ------------------------------------------------------------------------
    def head(self) -> int:
        """Id of the newest event in the log (0 when empty)."""
        return int(self.recorder.max_notification_id() or 0)

    def tracked_position(self, upstream: str) -> int:
        """Position in ``upstream``'s log up to which this log has recorded its reactions."""
        recorder = self.recorder
        assert isinstance(recorder, ProcessRecorder)
        return int(recorder.max_tracking_id(upstream) or 0)

    def topics_for(self, type_names: Iterable[str]) -> list[str]:
        """Topics of the named event types (unknown names match nothing)."""
        wanted = set(type_names)
        return [topic for name, topic in self.event_types().items() if name in wanted]

    def event_types(self) -> dict[str, str]:
        """Feed type name (``Aggregate.Event``) → stored topic, for every declared aggregate."""
        types: dict[str, str] = {}
        for aggregate_class in (*self.aggregate_classes, *self._kernel_aggregates):
            for value in vars(aggregate_class).values():
                if isinstance(value, type) and issubclass(value, DomainEvent):
                    topic = get_topic(value)
                    types[topic.split(":", 1)[1]] = topic
        return types
