"""Where a service keeps its events and its read models.

Embedded default: eventsourcing's SQLite module, one file per service under the data
directory, with the read models in a second SQLite file beside it. PostgreSQL: one schema per
service holding both the eventsourcing tables and the read-model tables. ``memory`` is for
unit tests (eventsourcing's POPO recorders, read models in a throw-away SQLite file).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import make_url

from jiceng.settings import Settings

Kind = Literal["sqlite", "postgres", "memory"]


def schema_name(service: str, prefix: str = "") -> str:
    """PostgreSQL schema of a service: ``org-registry`` → ``org_registry``."""
    name = prefix + re.sub(r"[^a-z0-9_]", "_", service.lower())
    if len(name) > 63:
        msg = f"schema name {name!r} is longer than PostgreSQL's 63 characters"
        raise ValueError(msg)
    return name


@dataclass(frozen=True)
class Storage:
    service: str
    kind: Kind
    directory: Path | None = None
    postgres_url: str | None = None
    schema: str | None = None
    cipher_key: str | None = None

    @classmethod
    def for_service(cls, settings: Settings, service: str) -> Storage:
        url = settings.database_url_for(service)
        cipher = settings.cipher_key.get_secret_value() if settings.cipher_key else None
        if url is None or url.startswith("sqlite"):
            directory = settings.data_dir / service
            if url and url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
                directory = Path(url.removeprefix("sqlite:///")) / service
            return cls(service, "sqlite", directory=directory, cipher_key=cipher)
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
        )

    @classmethod
    def memory(cls, service: str, directory: Path | None = None) -> Storage:
        """Events in memory; read models in a throw-away SQLite file.

        (An in-memory SQLite database is one connection, which concurrent transactions of
        the API and the consumers cannot share.)
        """
        return cls(service, "memory", directory=directory or Path(tempfile.mkdtemp("-jiceng")))

    def prepare(self) -> None:
        """Create what must exist before the recorders open: the directory or the schema."""
        if self.kind == "sqlite":
            assert self.directory is not None
            self.directory.mkdir(parents=True, exist_ok=True)
        elif self.kind == "postgres":
            import psycopg
            from psycopg import sql

            assert self.postgres_url is not None and self.schema is not None
            with psycopg.connect(self.postgres_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
                )

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
            env.update(
                PERSISTENCE_MODULE="eventsourcing.postgres",
                POSTGRES_DBNAME=url.database or "postgres",
                POSTGRES_HOST=url.host or "127.0.0.1",
                POSTGRES_PORT=str(url.port or 5432),
                POSTGRES_USER=url.username or "postgres",
                POSTGRES_PASSWORD=url.password or "",
                POSTGRES_SCHEMA=self.schema,
                POSTGRES_CONNECT_TIMEOUT="10",
                POSTGRES_PRE_PING="y",
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
