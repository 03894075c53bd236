"""The async engine of a service's read-model database (aiosqlite or asyncpg)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import MetaData, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from jiceng.backoff import retry_async
from jiceng.eventlog.storage import Storage


class ReadModelDatabase:
    """One engine per service; tables of the kernel and of the service's projections."""

    def __init__(self, storage: Storage, metadatas: Iterable[MetaData] = ()) -> None:
        from jiceng.readmodel.tables import kernel_metadata

        self.storage = storage
        self.metadatas = [kernel_metadata, *metadatas]
        self.engine: AsyncEngine = _create_engine(storage)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def create_all(self) -> None:
        """Create the tables; storage not reachable yet is waited for (start-up back-off)."""

        async def create() -> None:
            async with self.engine.begin() as conn:
                for metadata in self.metadatas:
                    await conn.run_sync(metadata.create_all)

        await retry_async(
            create, self.storage.limits.startup, f"{self.storage.service}: read models"
        )

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _create_engine(storage: Storage) -> AsyncEngine:
    url = storage.readmodel_url()
    kwargs: dict[str, Any] = {}
    if storage.kind == "postgres":
        assert storage.schema is not None
        limits = storage.limits
        connect_args: dict[str, Any] = {
            "server_settings": {"search_path": storage.schema},
            "timeout": limits.connect_timeout,
        }
        tls = storage.asyncpg_tls_dsn()
        if tls is not None:
            connect_args["dsn"] = tls  # sslmode, sslrootcert, ... read as libpq reads them
        kwargs.update(
            pool_size=limits.read_pool_size,
            max_overflow=limits.read_pool_overflow,
            pool_timeout=limits.pool_timeout,
            pool_pre_ping=True,
            connect_args=connect_args,
        )
    else:
        kwargs.update(connect_args={"timeout": 30})
    # Statement parameters are people's names and dates: never in an error's text or a log.
    engine = create_async_engine(url, hide_parameters=True, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # pysqlite starts transactions implicitly and only before writes; let SQLAlchemy
        # emit BEGIN itself so that a page's reads and writes are one transaction.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front (waiting up to busy_timeout). A deferred
        # transaction that reads and then writes fails at once with "database is locked"
        # when another follower committed in between, instead of waiting its turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
