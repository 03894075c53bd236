"""eventsourcing's process recorders, with the :class:`Journal` written in the append
transaction (SQLite, PostgreSQL, and in memory for unit tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from eventsourcing.persistence import (
    IntegrityError,
    StoredEvent,
)
from eventsourcing.popo import POPOProcessRecorder
from eventsourcing.sqlite import SQLiteProcessRecorder
from psycopg.sql import SQL

from jiceng.eventlog.journal import Cursor, Dialect, Journal, SaveClaim
from jiceng.eventlog.pgfactory import ProcessRecorder as PostgresProcessRecorder
from jiceng.eventlog.pgfactory import retried

CLAIM = "idempotency"


class JournalRecorder:
    """What the log asks of its recorder besides eventsourcing's interface: the journal, and
    transactions of the store's own to read and write it."""

    journal: Journal
    datastore: Any

    @contextmanager
    def journal_read(self) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=False) as cursor:
            yield cast(Cursor, cursor)

    @contextmanager
    def journal_write(self, *, lock: bool = False) -> Iterator[Cursor]:
        """A write transaction; with ``lock``, holding the log's write lock (as an append)."""
        with self.datastore.transaction(commit=True) as cursor:
            if lock:
                self._take_write_lock(cursor)
            yield cast(Cursor, cursor)

    def _take_write_lock(self, cursor: Any) -> None:  # pragma: no cover - per store
        raise NotImplementedError


class SQLiteJournalRecorder(SQLiteProcessRecorder, JournalRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dialect = Dialect(
            table=lambda name: name,
            param="?",
            events_table=self.events_table_name,
            id_column="rowid",
            blob="BLOB",
            bigint="INTEGER",
        )
        self.journal = Journal(dialect, service="")
        self.create_table_statements.extend(dialect.ddl())

    def _insert_events(
        self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        self.journal.appended(c, list(ids or ()), stored_events, kwargs.get(CLAIM))
        return ids

    def _take_write_lock(self, cursor: Any) -> None:
        # SQLite's BEGIN is deferred: a write statement takes the lock now.
        cursor.execute(f"DELETE FROM {self.events_table_name} WHERE 0")  # noqa: S608


class PostgresJournalRecorder(PostgresProcessRecorder, JournalRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema = self.datastore.schema

        def qualify(name: str) -> str:
            return f'"{schema}"."{name}"'

        dialect = Dialect(
            table=qualify,
            param="%s",
            events_table=qualify(self.events_table_name),
            id_column="notification_id",
            blob="BYTEA",
            bigint="BIGINT",
        )
        self.journal = Journal(dialect, service="")
        for statement in dialect.ddl():  # our own table names, no input
            self.sql_create_statements.append(SQL(statement).format())

    @retried
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """One transaction: tracking, the table lock, the events, then the journal.

        (The library's version runs in pipeline mode and swallows an exception raised after
        the insert until the transaction has committed; the journal must be able to abort.)
        """
        ids: Sequence[int] | None = []
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if stored_events:
                self._insert_stored_events(curs, stored_events, **kwargs)
                ids = self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
            self.journal.appended(
                cast(Cursor, curs), list(ids or ()), stored_events, kwargs.get(CLAIM)
            )
        return ids

    def _take_write_lock(self, cursor: Any) -> None:
        self._lock_table(cursor)  # the chain's catch-up must not race an append


class MemoryJournalRecorder(POPOProcessRecorder, JournalRecorder):
    """In memory (unit tests): the journal's tables live in a private SQLite connection."""

    def __init__(self) -> None:
        super().__init__()
        import sqlite3

        self._sqlite = sqlite3.connect(":memory:", check_same_thread=False)
        self._sqlite.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._sqlite.executescript(
            "CREATE TABLE stored_events (id INTEGER PRIMARY KEY, originator_id TEXT, "
            "originator_version INTEGER, topic TEXT, state BLOB);"
        )
        dialect = Dialect(
            table=lambda name: name,
            param="?",
            events_table="stored_events",
            id_column="id",
            blob="BLOB",
            bigint="INTEGER",
        )
        for statement in dialect.ddl():
            self._sqlite.execute(statement)
        self.journal = Journal(dialect, service="")

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        claim: SaveClaim | None = kwargs.get(CLAIM)
        with self._database_lock, self._transaction() as cursor:
            if claim is not None and self.journal.recorded_save(cursor, claim.scope, claim.seq):
                msg = f"idempotency record {claim.scope}/{claim.seq} exists"
                raise IntegrityError(msg)
            ids = super().insert_events(stored_events, **kwargs)
            for i, s in zip(ids or (), stored_events, strict=True):
                cursor.execute(
                    "INSERT INTO stored_events VALUES (?, ?, ?, ?, ?)",
                    (i, str(s.originator_id), s.originator_version, s.topic, s.state),
                )
            self.journal.appended(cursor, list(ids or ()), stored_events, claim)
            return ids

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        import sqlite3

        with self._lock:
            cursor = self._sqlite.cursor()
            try:
                yield cast(Cursor, cursor)
            except sqlite3.IntegrityError as error:
                self._sqlite.rollback()
                raise IntegrityError(str(error)) from error
            except BaseException:
                self._sqlite.rollback()
                raise
            self._sqlite.commit()

    def journal_read(self) -> Any:
        return self._transaction()

    def journal_write(self, *, lock: bool = False) -> Any:
        return self._transaction()


RecorderFactory = Callable[[], JournalRecorder]
