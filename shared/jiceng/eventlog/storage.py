"""Where a service keeps its events and its read models.

Embedded default: eventsourcing's SQLite module, one file per service under the data
directory, with the read models in a second SQLite file beside it. PostgreSQL: one schema per
service holding both the eventsourcing tables and the read-model tables. ``memory`` is for
unit tests (eventsourcing's POPO recorders, read models in a throw-away SQLite file).
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.engine import make_url

from jiceng.backoff import Backoff, retry_sync
from jiceng.settings import Settings

Kind = Literal["sqlite", "postgres", "memory"]

#: Query parameters of a database URL that configure TLS, as libpq names them. psycopg
#: takes them as they are; asyncpg reads them from a DSN (see ``asyncpg_tls_dsn``).
TLS_PARAMETERS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslcrl")
#: TCP keepalives, so that a connection to a vanished server fails instead of hanging.
_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10}


def schema_name(service: str, prefix: str = "") -> str:
    """PostgreSQL schema of a service: ``org-registry`` → ``org_registry``."""
    name = prefix + re.sub(r"[^a-z0-9_]", "_", service.lower())
    if len(name) > 63:
        msg = f"schema name {name!r} is longer than PostgreSQL's 63 characters"
        raise ValueError(msg)
    return name


@dataclass(frozen=True)
class Limits:
    """Connections and waits (see README, "Connections one process opens")."""

    event_pool_size: int = 2
    event_pool_overflow: int = 2
    read_pool_size: int = 2
    read_pool_overflow: int = 2
    pool_timeout: float = 5.0
    connect_timeout: float = 3.0
    probe_timeout: float = 1.5
    startup_timeout: float = 120.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            event_pool_size=settings.event_pool_size,
            event_pool_overflow=settings.event_pool_overflow,
            read_pool_size=settings.read_pool_size,
            read_pool_overflow=settings.read_pool_overflow,
            pool_timeout=settings.pool_timeout_seconds,
            connect_timeout=settings.connect_timeout_seconds,
            probe_timeout=settings.readiness_timeout_seconds,
            startup_timeout=settings.startup_timeout_seconds,
        )

    @property
    def startup(self) -> Backoff:
        return Backoff(self.startup_timeout)


def libpq_connect_timeout(seconds: float) -> int:
    """libpq's ``connect_timeout``: whole seconds, at least 2 (it treats 1 as 2)."""
    return max(2, math.ceil(seconds))


@dataclass(frozen=True)
class Storage:
    service: str
    kind: Kind
    directory: Path | None = None
    postgres_url: str | None = None
    schema: str | None = None
    cipher_key: str | None = None
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def for_service(cls, settings: Settings, service: str) -> Storage:
        url = settings.database_url_for(service)
        cipher = settings.cipher_key.get_secret_value() if settings.cipher_key else None
        limits = Limits.from_settings(settings)
        if url is None or url.startswith("sqlite"):
            directory = settings.data_dir / service
            if url and url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
                directory = Path(url.removeprefix("sqlite:///")) / service
            return cls(service, "sqlite", directory=directory, cipher_key=cipher, limits=limits)
        if url == "memory://":
            return cls.memory(service)
        if not url.startswith(("postgresql://", "postgres://")):
            msg = f"unsupported database URL for {service}: {url.split('@')[-1]}"
            raise ValueError(msg)
        return cls(
            service,
            "postgres",
            postgres_url=url,
            schema=schema_name(service, settings.schema_prefix),
            cipher_key=cipher,
            limits=limits,
        )

    @classmethod
    def memory(cls, service: str, directory: Path | None = None) -> Storage:
        """Events in memory; read models in a throw-away SQLite file.

        (An in-memory SQLite database is one connection, which concurrent transactions of
        the API and the consumers cannot share.)
        """
        return cls(service, "memory", directory=directory or Path(tempfile.mkdtemp("-jiceng")))

    def prepare(self) -> None:
        """Create what must exist before the recorders open: the directory or the schema.

        PostgreSQL not reachable yet (a service started before its database) is waited for,
        with back-off, for at most the start-up timeout.
        """
        if self.kind == "sqlite":
            assert self.directory is not None
            self.directory.mkdir(parents=True, exist_ok=True)
        elif self.kind == "postgres":
            retry_sync(self._create_schema, self.limits.startup, f"{self.service}: storage")

    def _create_schema(self) -> None:
        import psycopg
        from psycopg import sql

        assert self.postgres_url is not None and self.schema is not None
        with psycopg.connect(self.postgres_url, autocommit=True, **self.libpq_parameters()) as conn:
            # Looked up first: even CREATE SCHEMA IF NOT EXISTS needs CREATE on the database,
            # which a role given only its own schema (by a DBA or an operator) lacks.
            found = conn.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,)
            ).fetchone()
            if found is None:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
                )

    def tls_parameters(self) -> dict[str, str]:
        """The URL's TLS parameters (``sslmode``, ``sslrootcert``, ...)."""
        if self.postgres_url is None:
            return {}
        query = make_url(self.postgres_url).query
        found = {name: query[name] for name in TLS_PARAMETERS if name in query}
        return {k: v if isinstance(v, str) else v[-1] for k, v in found.items()}

    def libpq_parameters(self) -> dict[str, Any]:
        """What psycopg connections add to host, port, user and database: TLS from the URL,
        a connect timeout, keepalives."""
        return {
            "connect_timeout": libpq_connect_timeout(self.limits.connect_timeout),
            **_KEEPALIVES,
            **self.tls_parameters(),
        }

    def asyncpg_tls_dsn(self) -> str | None:
        """A DSN holding only the URL's TLS parameters, for asyncpg's ``dsn`` argument: asyncpg
        reads ``sslmode``, ``sslrootcert``, ``sslcert``, ``sslkey`` there as libpq does, while
        host, port, user and database come as arguments (SQLAlchemy passes those)."""
        tls = self.tls_parameters()
        if not tls:
            return None
        return make_url("postgresql://").update_query_dict(tls).render_as_string()

    def eventsourcing_env(self) -> dict[str, str]:
        env: dict[str, str] = {}
        if self.kind == "memory":
            env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
        elif self.kind == "sqlite":
            assert self.directory is not None
            env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
            env["SQLITE_DBNAME"] = str(self.directory / "events.sqlite")
            env["SQLITE_LOCK_TIMEOUT"] = "10"
        else:
            assert self.postgres_url is not None and self.schema is not None
            url = make_url(self.postgres_url)
            limits = self.limits
            env.update(
                # eventsourcing's postgres module, with TLS and bounded retries.
                PERSISTENCE_MODULE="jiceng.eventlog.pgfactory:Factory",
                POSTGRES_DBNAME=url.database or "postgres",
                POSTGRES_HOST=url.host or "127.0.0.1",
                POSTGRES_PORT=str(url.port or 5432),
                POSTGRES_USER=url.username or "postgres",
                POSTGRES_PASSWORD=url.password or "",
                POSTGRES_SCHEMA=self.schema,
                POSTGRES_POOL_SIZE=str(limits.event_pool_size),
                POSTGRES_MAX_OVERFLOW=str(limits.event_pool_overflow),
                # The library's "connect timeout" is how long a checkout waits (whole seconds).
                POSTGRES_CONNECT_TIMEOUT=str(max(1, math.ceil(limits.pool_timeout))),
                POSTGRES_PRE_PING="y",
                JICENG_LIBPQ_PARAMETERS=json.dumps(self.libpq_parameters()),
                JICENG_RECONNECT_TIMEOUT=str(max(10.0, 2 * limits.pool_timeout)),
            )
        if self.cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
            env["CIPHER_KEY"] = self.cipher_key
        return env

    def readmodel_url(self) -> str:
        """SQLAlchemy async URL of the read-model database."""
        if self.kind in ("memory", "sqlite"):
            assert self.directory is not None
            return f"sqlite+aiosqlite:///{self.directory / 'readmodels.sqlite'}"
        assert self.postgres_url is not None
        url = make_url(self.postgres_url).set(drivername="postgresql+asyncpg")
        url = url.difference_update_query(TLS_PARAMETERS)  # asyncpg_tls_dsn carries them
        return url.render_as_string(hide_password=False)

    def describe(self) -> str:
        """Where the data is, without credentials (for logs and start-up banners)."""
        if self.kind == "sqlite":
            return f"sqlite:{self.directory}"
        if self.kind == "postgres":
            assert self.postgres_url is not None
            url = make_url(self.postgres_url)
            return f"postgresql://{url.host}:{url.port or 5432}/{url.database} schema={self.schema}"
        return "memory"
