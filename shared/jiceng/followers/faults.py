"""Telling a fault that passes from an event that can never be applied.

A follower retries a *transient* fault (the network, the database restarting, a timeout, a
lock, a serialization failure, too many connections) for as long as it lasts, and never sets
the event aside for it. Only an error that would happen again with the same event (the
event's payload, the handler's own code, a constraint the data breaks) is *deterministic*:
that event is tried a few times more and then dead-lettered, loudly.
"""

from __future__ import annotations

import sqlite3

#: SQLSTATE classes of faults that pass: connection exception, transaction rollback
#: (serialization, deadlock), insufficient resources, object not in prerequisite state
#: (lock not available), operator intervention (shutdown, cancel), system and internal errors.
TRANSIENT_CLASSES = ("08", "40", "53", "55", "57", "58", "XX")
#: Single SQLSTATEs that pass: a table being swapped in by a rebuild, a read-only standby.
TRANSIENT_STATES = ("42P01", "25006")
#: What SQLite says while another process holds the file, or the disk is busy.
TRANSIENT_SQLITE = ("database is locked", "database table is locked", "disk i/o error")


def sqlstate(error: BaseException) -> str | None:
    """The PostgreSQL SQLSTATE behind ``error`` (through the drivers' wrappers), if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for attribute in ("sqlstate", "pgcode"):
            value = getattr(current, attribute, None)
            if isinstance(value, str) and len(value) == 5:
                return value
        diag = getattr(current, "diag", None)
        value = getattr(diag, "sqlstate", None)
        if isinstance(value, str) and len(value) == 5:
            return value
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` is a fault of the surroundings that retrying will outlast."""
    state = sqlstate(error)
    if state is not None:
        return state[:2] in TRANSIENT_CLASSES or state in TRANSIENT_STATES
    for cause in _chain(error):
        name, module = type(cause).__name__, type(cause).__module__
        if isinstance(cause, (OSError, TimeoutError, ConnectionError)):
            return True
        if isinstance(cause, sqlite3.OperationalError):
            if any(text in str(cause).lower() for text in TRANSIENT_SQLITE):
                return True
        elif name in ("OperationalError", "InterfaceError") and module.startswith(
            ("psycopg", "eventsourcing", "asyncpg")
        ):
            return True  # the driver lost or could not get its connection
        elif module.startswith("sqlalchemy") and name in ("TimeoutError", "DisconnectionError"):
            return True  # the pool had no connection in time, or lost one
        elif (module.startswith("asyncpg") and "Connection" in name) or name in (
            "UpstreamUnavailable",
            "StorageUnavailable",
            "StaleVersion",
        ):
            return True
    return False


def _chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found and len(found) < 10:
        found.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return found
