"""Which errors mean "storage is unreachable for now", as opposed to a bug or a broken rule.

Such an error answers 503 ``storage.unavailable`` with ``Retry-After``, is retried at
start-up, and makes ``/readyz`` say "unavailable". The drivers wrap each other (SQLAlchemy
wraps asyncpg and aiosqlite, eventsourcing wraps psycopg and sqlite3), so the whole chain of
an error is looked at: the wrapper, what it wraps (``orig``) and what caused it.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

import eventsourcing.persistence as es
import psycopg
import sqlalchemy.exc as sa

from jiceng.errors import JicengError

#: Seconds a client is told to wait before trying again (``Retry-After``).
RETRY_AFTER_SECONDS = 5

#: SQLSTATE classes and codes that pass: connection exceptions (08), admin or crash shutdown
#: and cannot connect now (57P0x), a statement cancelled or timed out (57014), insufficient
#: resources such as too many connections (53), a serialization failure or deadlock (40),
#: a lock not available (55P03), an I/O error (58).
_TRANSIENT_STATES = ("08", "57P01", "57P02", "57P03", "57014", "53", "40", "55P03", "58")

#: sqlite3 errors that pass: another writer holds the lock, or the file cannot be reached.
_SQLITE_TRANSIENT = ("database is locked", "database is busy", "unable to open", "disk i/o")

#: Network failures the drivers raise as plain OSError.
_NETWORK_ERRNOS = {
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.ENETDOWN,
    errno.ETIMEDOUT,
    errno.EPIPE,
}

#: Modules whose OSError or TimeoutError is a storage fault (elsewhere it may be anything).
_DRIVERS = ("asyncpg", "psycopg", "psycopg_pool", "sqlalchemy", "aiosqlite", "eventsourcing")


def storage_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached now (worth retrying later)."""
    if isinstance(error, JicengError):
        return False  # ours names its own code, whatever caused it
    for found in _chain(error):
        verdict = _verdict(found)
        if verdict is not None:
            return verdict
    # eventsourcing raises these itself for a closed or exhausted pool, with no cause.
    return isinstance(error, es.ConnectionUnavailableError | es.ConnectionPoolClosedError)


def _verdict(error: BaseException) -> bool | None:
    """True or False when ``error`` decides; None to look further down the chain."""
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        return any(marker in text for marker in _SQLITE_TRANSIENT)
    if isinstance(error, sqlite3.Error):
        return False
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str) and state:
        return state.startswith(_TRANSIENT_STATES)
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        # No SQLSTATE: the client lost the server, or the pool timed out, or connecting
        # failed (psycopg tells a refused login from an unreachable server by text only).
        return True
    if isinstance(error, sa.TimeoutError):
        return True  # no pooled connection within the pool timeout
    if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        return True
    if _asyncpg_connection_error(error):
        return True
    if isinstance(error, ConnectionError):
        return True
    if isinstance(error, TimeoutError | OSError) and _raised_by_driver(error):
        return (
            isinstance(error, TimeoutError)
            or error.errno in _NETWORK_ERRNOS
            or (error.errno is None and "connect" in str(error).lower())
        )
    return None


def _asyncpg_connection_error(error: BaseException) -> bool:
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(
        error,
        asyncpg.PostgresConnectionError
        | asyncpg.CannotConnectNowError
        | asyncpg.TooManyConnectionsError
        | asyncpg.ConnectionDoesNotExistError
        | asyncpg.AdminShutdownError
        | asyncpg.CrashShutdownError,
    )


def _raised_by_driver(error: BaseException) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.split(".", 1)[0] in _DRIVERS:
            return True
        traceback = traceback.tb_next
    return False


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error``, what it wraps and what caused it, outermost first, each once."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending and len(seen) < 20:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for inner in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(inner, BaseException):
                pending.append(inner)


def database_refusal(error: BaseException) -> str | None:
    """What the database said, in one line, when ``error`` came from it (a refused login, a
    missing privilege, an unreachable server); None for anything else."""
    for found in _chain(error):
        if isinstance(found, psycopg.Error | sqlite3.Error | es.PersistenceError) or (
            type(found).__module__.split(".", 1)[0] == "asyncpg" and isinstance(found, Exception)
        ):
            text = " ".join(str(found).split()) or type(found).__name__
            state = getattr(found, "sqlstate", None)
            return f"{text} (SQLSTATE {state})" if isinstance(state, str) and state else text
    return None
