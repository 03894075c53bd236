"""Shadow read models: a projection's tables rebuilt beside the live ones, out of readers' way.

PostgreSQL: a schema of its own, ``<schema>__rebuild_<consumer>``, reached through an engine
whose ``search_path`` is that schema alone, so the projection's unqualified table names land
there. SQLite: a file of its own, ``rebuild/<consumer>/readmodels.sqlite`` beside the live
``readmodels.sqlite``. Either holds the projection's tables and the consumer's own position
and dead letters, as the live database does.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import MetaData, text

from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.tables import consumer_positions, dead_letters, kernel_metadata

_SUFFIX = "__rebuild_"


@dataclass(frozen=True)
class Shadow:
    """Where a consumer's projection is being rebuilt."""

    consumer: str
    live: ReadModelDatabase
    db: ReadModelDatabase
    #: PostgreSQL: the shadow schema; SQLite: ``None``.
    schema: str | None
    #: SQLite: the shadow file; PostgreSQL: ``None``.
    path: Path | None


def slug(consumer: str) -> str:
    """``org-registry:orgtree`` → ``org_registry_orgtree``."""
    return re.sub(r"[^a-z0-9_]", "_", consumer.lower())


def shadow_schema(schema: str, consumer: str) -> str:
    """The shadow schema of ``consumer`` in ``schema`` (at most PostgreSQL's 63 characters)."""
    name = f"{schema}{_SUFFIX}{slug(consumer)}"
    if len(name) <= 63:
        return name
    digest = hashlib.sha256(consumer.encode()).hexdigest()[:12]
    return f"{schema[: 63 - len(_SUFFIX) - len(digest)]}{_SUFFIX}{digest}"


def rebuild_directory(live: ReadModelDatabase) -> Path:
    """SQLite: the folder beside the live read models where shadows and their locks live."""
    database = live.engine.url.database
    assert database, "a SQLite read model lives in a file"
    return Path(database).parent / "rebuild"


async def open_shadow(live: ReadModelDatabase, consumer: str, metadata: MetaData) -> Shadow:
    """A fresh, empty shadow of ``metadata``'s tables for ``consumer``.

    Whatever an interrupted rebuild left behind is dropped first; callers hold the consumer's
    rebuild lock, so nobody else is using it.
    """
    storage = live.storage
    schema: str | None = None
    path: Path | None = None
    if live.dialect == "postgresql":
        assert storage.schema is not None
        schema = shadow_schema(storage.schema, consumer)
        quoted = live.engine.dialect.identifier_preparer.quote(schema)
        async with live.engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {quoted} CASCADE"))
            await conn.execute(text(f"CREATE SCHEMA {quoted}"))
        db = ReadModelDatabase(replace(storage, schema=schema), [metadata])
    else:
        directory = rebuild_directory(live) / slug(consumer)
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        db = ReadModelDatabase(replace(storage, directory=directory), [metadata])
        path = Path(db.engine.url.database or "")
    async with db.engine.begin() as conn:
        kernel = [consumer_positions, dead_letters]
        await conn.run_sync(lambda sync: kernel_metadata.create_all(sync, tables=kernel))
        await conn.run_sync(metadata.create_all)
    return Shadow(consumer, live, db, schema, path)


async def discard_shadow(shadow: Shadow) -> None:
    """Close the shadow's engine and remove what is left of it (emptied by a swap or not)."""
    await shadow.db.dispose()
    if shadow.schema is not None:
        quoted = shadow.live.engine.dialect.identifier_preparer.quote(shadow.schema)
        async with shadow.live.engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {quoted} CASCADE"))
    if shadow.path is not None:
        shutil.rmtree(shadow.path.parent, ignore_errors=True)
