"""What commits in the same transaction as every append: the audit chain and the saves made
under an ``Idempotency-Key``.

The chain's digest of each new event is computed while the append holds the log's write lock
(PostgreSQL's ``LOCK TABLE … IN EXCLUSIVE MODE``; SQLite's single writer), from the bytes
being stored, so a row altered after its commit no longer matches its digest. Events stored
before the chain existed (an older log) are chained first, in the same transaction.

A command saved under an Idempotency-Key records ``(scope, seq)`` with the streams it wrote,
so a retry after any crash, timeout or 5xx finds the outcome instead of running it again; the
primary key makes two concurrent tries commit at most once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification, StoredEvent

from jiceng.eventlog.chain import DEFAULT_ALGORITHM, genesis, link
from jiceng.eventlog.records import feed_event_or_report

#: How long an idempotency record is kept (at least).
RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class SaveClaim:
    """The ``seq``-th save of one request made under an Idempotency-Key."""

    scope: str
    seq: int
    request_hash: str


@dataclass(frozen=True)
class RecordedSave:
    """A committed save of a request: the streams it wrote (id, version), in save order."""

    scope: str
    seq: int
    request_hash: str
    position: int
    streams: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class StoredResponse:
    scope: str
    request_hash: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Cursor(Protocol):
    def execute(self, query: Any, params: Any = ..., /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...


@dataclass(frozen=True)
class Dialect:
    """How the journal's SQL is spelled in one store."""

    #: ``name`` → the qualified table name.
    table: Callable[[str], str]
    #: The parameter placeholder (``?`` or ``%s``).
    param: str
    #: The events table and its notification-id column.
    events_table: str
    id_column: str
    blob: str
    bigint: str

    def sql(self, text: str) -> str:
        return text.replace("?", self.param).format(
            chain=self.table("audit_chain"),
            saves=self.table("idempotency_saves"),
            responses=self.table("idempotency_responses"),
            events=self.events_table,
            id=self.id_column,
            blob=self.blob,
            bigint=self.bigint,
        )

    def ddl(self) -> list[str]:
        return [
            self.sql(
                "CREATE TABLE IF NOT EXISTS {chain} ("
                "event_id {bigint} PRIMARY KEY, digest VARCHAR(64) NOT NULL)"
            ),
            self.sql(
                "CREATE TABLE IF NOT EXISTS {saves} ("
                "scope VARCHAR(64) NOT NULL, seq INTEGER NOT NULL, "
                "request_hash VARCHAR(64) NOT NULL, position {bigint} NOT NULL, "
                "streams TEXT NOT NULL, created_at VARCHAR(40) NOT NULL, "
                "PRIMARY KEY (scope, seq))"
            ),
            self.sql(
                "CREATE TABLE IF NOT EXISTS {responses} ("
                "scope VARCHAR(64) PRIMARY KEY, request_hash VARCHAR(64) NOT NULL, "
                "status INTEGER NOT NULL, headers TEXT NOT NULL, body {blob} NOT NULL, "
                "created_at VARCHAR(40) NOT NULL)"
            ),
        ]


class Journal:
    """The chain and the idempotency records of one log, written through its recorder's
    cursor inside the append transaction."""

    def __init__(self, dialect: Dialect, service: str, mapper: Mapper[Any] | None = None) -> None:
        self.dialect = dialect
        self.service = service
        self.algorithm = DEFAULT_ALGORITHM
        self.mapper = mapper

    # -- in the append transaction ------------------------------------------------------------
    def appended(
        self,
        cursor: Cursor,
        ids: Sequence[int],
        stored: Sequence[StoredEvent],
        claim: SaveClaim | None,
    ) -> None:
        """Chain the new events (and any older ones not yet chained); record the claim."""
        if ids:
            first = min(ids)
            previous = self._chain_head(cursor)
            missed = self._unchained(cursor, previous[0] if previous else 0, first)
            fresh = [
                Notification(
                    id=i,
                    originator_id=s.originator_id,
                    originator_version=s.originator_version,
                    topic=s.topic,
                    state=s.state,
                )
                for i, s in zip(ids, stored, strict=True)
            ]
            self._chain(cursor, previous, [*missed, *fresh])
        if claim is not None:
            streams = [(str(s.originator_id), s.originator_version) for s in stored]
            last: dict[str, int] = {}
            for stream, version in streams:
                last[stream] = max(version, last.get(stream, 0))
            cursor.execute(
                self.dialect.sql("INSERT INTO {saves} VALUES (?, ?, ?, ?, ?, ?)"),
                (
                    claim.scope,
                    claim.seq,
                    claim.request_hash,
                    max(ids or [0]),
                    json.dumps(list(last.items())),
                    datetime.now(UTC).isoformat(),
                ),
            )

    def catch_up(self, cursor: Cursor) -> int:
        """Chain every stored event not yet chained (an older log); how many were chained."""
        previous = self._chain_head(cursor)
        missed = self._unchained(cursor, previous[0] if previous else 0, None)
        self._chain(cursor, previous, missed)
        return len(missed)

    def _chain_head(self, cursor: Cursor) -> tuple[int, bytes] | None:
        cursor.execute(
            self.dialect.sql("SELECT event_id, digest FROM {chain} ORDER BY event_id DESC LIMIT 1")
        )
        row = cursor.fetchone()
        return (int(row["event_id"]), bytes.fromhex(row["digest"])) if row else None

    def _unchained(self, cursor: Cursor, after: int, before: int | None) -> list[Notification]:
        query = (
            "SELECT {id} AS id, originator_id, originator_version, topic, state "
            "FROM {events} WHERE {id} > ?"
        )
        params: list[int] = [after]
        if before is not None:
            query += " AND {id} < ?"
            params.append(before)
        cursor.execute(self.dialect.sql(query + " ORDER BY {id}"), params)
        return [
            Notification(
                id=int(row["id"]),
                originator_id=row["originator_id"],
                originator_version=int(row["originator_version"]),
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in cursor.fetchall()
        ]

    def _chain(
        self, cursor: Cursor, previous: tuple[int, bytes] | None, notes: Sequence[Notification]
    ) -> None:
        if not notes:
            return
        assert self.mapper is not None, "the journal needs the log's mapper to chain events"
        digest = previous[1] if previous else genesis(self.service, self.algorithm)
        insert = self.dialect.sql("INSERT INTO {chain} (event_id, digest) VALUES (?, ?)")
        for note in notes:
            # An older row that no longer decodes is chained as the feed reports it.
            event = feed_event_or_report(self.mapper, _uuid_id(note))
            digest = link(digest, event, self.algorithm)
            cursor.execute(insert, (note.id, digest.hex()))

    # -- reading --------------------------------------------------------------------------------
    def chain(
        self, cursor: Cursor, after: int = 0, limit: int | None = None
    ) -> list[tuple[int, str]]:
        query = "SELECT event_id, digest FROM {chain} WHERE event_id > ? ORDER BY event_id"
        params: list[int] = [after]
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        cursor.execute(self.dialect.sql(query), params)
        return [(int(r["event_id"]), str(r["digest"])) for r in cursor.fetchall()]

    def recorded_save(self, cursor: Cursor, scope: str, seq: int) -> RecordedSave | None:
        cursor.execute(
            self.dialect.sql("SELECT * FROM {saves} WHERE scope = ? AND seq = ?"), (scope, seq)
        )
        row = cursor.fetchone()
        if row is None:
            return None
        streams = tuple((str(s), int(v)) for s, v in json.loads(row["streams"]))
        return RecordedSave(scope, seq, row["request_hash"], int(row["position"]), streams)

    def request_hashes(self, cursor: Cursor, scope: str) -> set[str]:
        """The request hashes recorded under ``scope`` (saves and the stored response)."""
        cursor.execute(
            self.dialect.sql(
                "SELECT request_hash FROM {saves} WHERE scope = ? "
                "UNION SELECT request_hash FROM {responses} WHERE scope = ?"
            ),
            (scope, scope),
        )
        return {str(r["request_hash"]) for r in cursor.fetchall()}

    def response(self, cursor: Cursor, scope: str) -> StoredResponse | None:
        cursor.execute(self.dialect.sql("SELECT * FROM {responses} WHERE scope = ?"), (scope,))
        row = cursor.fetchone()
        if row is None:
            return None
        headers = [(str(k), str(v)) for k, v in json.loads(row["headers"])]
        return StoredResponse(
            scope, row["request_hash"], int(row["status"]), headers, bytes(row["body"])
        )

    def keep_response(self, cursor: Cursor, response: StoredResponse) -> None:
        cursor.execute(
            self.dialect.sql(
                "INSERT INTO {responses} VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope) DO NOTHING"
            ),
            (
                response.scope,
                response.request_hash,
                response.status,
                json.dumps(response.headers),
                response.body,
                datetime.now(UTC).isoformat(),
            ),
        )

    def forget_before(self, cursor: Cursor, moment: datetime) -> None:
        """Drop idempotency records older than ``moment`` (ISO strings sort as times)."""
        cutoff = (moment.isoformat(),)
        cursor.execute(self.dialect.sql("DELETE FROM {saves} WHERE created_at < ?"), cutoff)
        cursor.execute(self.dialect.sql("DELETE FROM {responses} WHERE created_at < ?"), cutoff)


def _uuid_id(note: Notification) -> Notification:
    """SQLite stores originator ids as hex text; the feed shows them as UUIDs."""
    if isinstance(note.originator_id, UUID):
        return note
    try:
        originator: UUID | str = UUID(str(note.originator_id))
    except ValueError:
        originator = note.originator_id
    return Notification(
        id=note.id,
        originator_id=originator,
        originator_version=note.originator_version,
        topic=note.topic,
        state=note.state,
    )
