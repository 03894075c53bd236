"""eventsourcing's PostgreSQL persistence, as the services connect to it.

The library's factory takes host, port, user and password only, and retries every read and
write ten times, each attempt waiting out the pool's whole timeout when no connection can be
had: a request during an outage answered after ten times the pool timeout (101.8 s with a
10 s timeout). This factory passes the URL's TLS parameters and a connect timeout to psycopg,
and its recorders still retry a connection that broke (a backend terminated, say) but give up
at once when the pool had no connection to give, so such a request fails within one pool
timeout and answers 503.

``Storage.eventsourcing_env`` names this factory as the persistence module.
"""

from __future__ import annotations

import functools
import json
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresFactory,
    PostgresProcessRecorder,
    PostgresTrackingRecorder,
)
from eventsourcing.utils import Environment, EnvType
from psycopg_pool import PoolTimeout

#: The environment key carrying extra libpq parameters (JSON), set by ``Storage``.
LIBPQ_PARAMETERS = "JICENG_LIBPQ_PARAMETERS"
#: How long the pool keeps retrying a connection in the background before it lets a new
#: request start a fresh attempt (its back-off doubles up to this).
RECONNECT_TIMEOUT = "JICENG_RECONNECT_TIMEOUT"

_ATTEMPTS = 10
_WAIT = 0.2

F = TypeVar("F", bound=Callable[..., Any])


def _no_connection(error: BaseException) -> bool:
    """The pool gave no connection within its timeout: retrying waits as long again."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, PoolTimeout):
            return True
        cause = cause.__cause__
    return False


def retried(method: F) -> F:
    """The library's retry (10 attempts, 0.2 s apart), except when no connection was had."""
    inner: Callable[..., Any] = getattr(method, "__wrapped__", method)

    @functools.wraps(inner)
    def attempt(*args: Any, **kwargs: Any) -> Any:
        for number in range(1, _ATTEMPTS + 1):
            try:
                return inner(*args, **kwargs)
            except (InterfaceError, OperationalError) as error:
                if number == _ATTEMPTS or _no_connection(error):
                    raise
                time.sleep(_WAIT * (1 + 0.1 * (random.random() - 0.5)))
        raise AssertionError  # pragma: no cover - the loop returns or raises

    return attempt  # type: ignore[return-value]


def _rewrap(cls: type[Any], *names: str) -> None:
    for name in names:
        setattr(cls, name, retried(getattr(cls, name)))


class ApplicationRecorder(PostgresApplicationRecorder):
    pass


class TrackingRecorder(PostgresTrackingRecorder):
    pass


class ProcessRecorder(PostgresProcessRecorder):
    pass


_rewrap(
    ApplicationRecorder,
    "insert_events",
    "select_events",
    "select_notifications",
    "max_notification_id",
)
_rewrap(TrackingRecorder, "insert_tracking", "max_tracking_id", "has_tracking_id")
_rewrap(
    ProcessRecorder,
    "insert_events",
    "select_events",
    "select_notifications",
    "max_notification_id",
    "insert_tracking",
    "max_tracking_id",
    "has_tracking_id",
)


class Factory(PostgresFactory):
    """The library's factory with our recorders and connection parameters."""

    application_recorder_class = ApplicationRecorder
    tracking_recorder_class = TrackingRecorder
    process_recorder_class = ProcessRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        pool = self.datastore.pool
        extra = json.loads(self.env.get(LIBPQ_PARAMETERS) or "{}")
        if isinstance(pool.kwargs, dict) and isinstance(extra, dict):
            pool.kwargs.update(extra)  # the pool is not open yet: its connections get them
        reconnect = self.env.get(RECONNECT_TIMEOUT)
        if reconnect:
            pool.reconnect_timeout = float(reconnect)
