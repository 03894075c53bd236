"""Tampering with stored events directly in SQLite and PostgreSQL, and catching it.

Each test writes events, lets the service chain them and sign a checkpoint, exports a bundle,
then alters, deletes or reorders rows in the event store itself and verifies again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import anyio
import psycopg
import pytest
from psycopg import sql

from jiceng.audit.bundle import Bundle, verify
from jiceng.audit.export import live_bundle
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings
from org_registry.bootstrap import build_runtime
from support import bulk_establish


@pytest.fixture
async def runtime(storage_settings: Settings) -> AsyncIterator[ServiceRuntime]:
    runtime = build_runtime(storage_settings)
    await runtime.start(run_consumers=False)
    for _ in range(3):
        await anyio.to_thread.run_sync(bulk_establish, runtime.log, 4)  # events 1..12
    await runtime.follower_for("org-registry", "audit_index").catch_up()
    assert runtime.auditor is not None
    signed = await runtime.auditor.sign_checkpoint()
    assert signed is not None and signed["position"] == 12
    yield runtime
    await runtime.stop()


def tamper(
    runtime: ServiceRuntime, act: Callable[[object, str, str], None], *, chain: bool = False
) -> None:
    """Run ``act(connection, table, id column)`` against the raw event table (or the chain)."""
    storage = runtime.storage
    if storage.kind == "sqlite":
        assert storage.directory is not None
        with sqlite3.connect(storage.directory / "events.sqlite") as conn:
            act(conn, *(("audit_chain", "event_id") if chain else ("stored_events", "rowid")))
    else:
        assert storage.postgres_url is not None and storage.schema is not None
        with psycopg.connect(storage.postgres_url, autocommit=True) as conn:
            table = "audit_chain" if chain else "orgregistry_events"
            act(conn, f'"{storage.schema}".{table}', "event_id" if chain else "notification_id")


def _execute(conn: object, statement: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(statement.replace("%s", "?"), params).fetchall()
    assert isinstance(conn, psycopg.Connection)
    cursor = conn.execute(sql.SQL(statement), params)  # type: ignore[call-overload]
    return cursor.fetchall() if cursor.description else []


def rename_in_place(event_id: int, new_name: str) -> Callable[[object, str, str], None]:
    def act(conn: object, table: str, id_column: str) -> None:
        [(state,)] = _execute(
            conn, f"SELECT state FROM {table} WHERE {id_column} = %s", (event_id,)
        )
        data = json.loads(bytes(state))  # type: ignore[arg-type]
        data["name"] = new_name
        _execute(
            conn,
            f"UPDATE {table} SET state = %s WHERE {id_column} = %s",
            (json.dumps(data).encode(), event_id),
        )

    return act


async def export_and_verify(runtime: ServiceRuntime, folder: Path, **options: object):  # type: ignore[no-untyped-def]
    bundle = await live_bundle(runtime)
    bundle.write(folder)
    return verify(Bundle.read(folder), **options)  # type: ignore[arg-type]


async def test_an_untouched_log_verifies(runtime: ServiceRuntime, tmp_path: Path) -> None:
    report = await export_and_verify(runtime, tmp_path / "bundle")
    assert report.ok, report.findings
    assert (report.events, report.checkpoints) == (13, 1)  # 12 + the checkpoint event


async def test_an_altered_event_is_named(runtime: ServiceRuntime, tmp_path: Path) -> None:
    tamper(runtime, rename_in_place(5, "篡改后的名称"))
    runtime.log.repository.cache = None  # nothing is served from memory
    report = await export_and_verify(runtime, tmp_path / "bundle")
    assert report.first is not None
    assert (report.first.kind, report.first.event_id) == ("altered", 5)


async def test_a_row_altered_right_after_its_commit_is_caught(
    runtime: ServiceRuntime, tmp_path: Path
) -> None:
    """The digest is written in the append's own transaction: no window in which a row
    altered after its commit would be chained as altered."""
    await anyio.to_thread.run_sync(bulk_establish, runtime.log, 1)  # event 14
    tamper(runtime, rename_in_place(14, "提交后即被篡改"))
    runtime.log.repository.cache = None
    report = await export_and_verify(runtime, tmp_path / "bundle")
    assert report.first is not None
    assert (report.first.kind, report.first.event_id) == ("altered", 14)


async def test_a_deleted_event_is_named(runtime: ServiceRuntime, tmp_path: Path) -> None:
    tamper(
        runtime,
        lambda conn, table, col: _execute(conn, f"DELETE FROM {table} WHERE {col} = %s", (7,)),
    )
    report = await export_and_verify(runtime, tmp_path / "bundle")
    assert report.first is not None
    assert (report.first.kind, report.first.event_id) == ("missing", 7)


async def test_reordered_events_are_caught(runtime: ServiceRuntime, tmp_path: Path) -> None:
    def swap(conn: object, table: str, col: str) -> None:
        rows = dict(
            _execute(conn, f"SELECT {col}, state FROM {table} WHERE {col} IN (%s, %s)", (2, 3))
        )
        _execute(conn, f"UPDATE {table} SET state = %s WHERE {col} = %s", (rows[3], 2))
        _execute(conn, f"UPDATE {table} SET state = %s WHERE {col} = %s", (rows[2], 3))

    tamper(runtime, swap)
    report = await export_and_verify(runtime, tmp_path / "bundle")
    assert report.first is not None
    assert (report.first.kind, report.first.event_id) == ("altered", 2)


async def test_deleting_the_newest_events_is_caught_by_an_exported_checkpoint(
    runtime: ServiceRuntime, tmp_path: Path
) -> None:
    earlier = await export_and_verify(runtime, tmp_path / "before")
    assert earlier.ok

    def cut(conn: object, table: str, col: str) -> None:
        _execute(conn, f"DELETE FROM {table} WHERE {col} >= %s", (10,))

    tamper(runtime, cut)  # the newest events, the checkpoint event with them
    tamper(runtime, cut, chain=True)  # ...and the forger cleans the chain too
    alone = await export_and_verify(runtime, tmp_path / "after")
    assert alone.ok  # nothing inside the new bundle contradicts itself
    old = [
        json.loads(line)
        for line in (tmp_path / "before" / "checkpoints.jsonl").read_text().splitlines()
    ]
    report = verify(Bundle.read(tmp_path / "after"), extra_checkpoints=old)
    assert report.first is not None
    assert (report.first.kind, report.first.event_id) == ("truncated", 10)
