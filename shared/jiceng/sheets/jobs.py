"""Imports uploaded over the API run as jobs: accepted at once, checked and written in the
background, their progress and report kept in the service's database.

The uploaded bytes live only in the job's memory while it runs. A running job beats every
:data:`HEARTBEAT` seconds; one silent for :data:`SILENT_AFTER` (its process was stopped or
killed) reads as ``interrupted``: upload the file again; an import is idempotent, so rows
already written are not written twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import insert, select, update
from sqlalchemy.exc import OperationalError

from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.tables import import_jobs
from jiceng.redaction import safe_error_text
from jiceng.sheets.importing import Importer, run_import
from jiceng.sheets.reading import SheetFile
from jiceng.sheets.report import Report

log = logging.getLogger(__name__)

#: A running job writes its progress this often (seconds), whether it moved or not.
HEARTBEAT = 2.0
#: Tries to record a job's state while the database is busy (about 2 minutes in all).
UPDATE_ATTEMPTS = 15
#: A running job not heard of for this long is reported interrupted.
SILENT_AFTER = timedelta(seconds=60)


class JobState(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"  # checked (a dry run) or imported: see the report
    FAILED = "failed"  # the job itself broke; nothing half-written (batches are atomic)
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class JobRequest:
    kind: str
    file: SheetFile
    actor: str
    scope_org: UUID | None
    dry_run: bool
    accept_valid: bool


class ImportJobs:
    """Start, follow and read import jobs of one service."""

    def __init__(self, db: ReadModelDatabase) -> None:
        self.db = db
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(
        self,
        request: JobRequest,
        importer: Importer,
        after: Callable[[Report], Awaitable[None]] | None = None,
    ) -> str:
        job_id = str(uuid4())
        now = _now()
        async with self.db.engine.begin() as conn:
            await conn.execute(
                insert(import_jobs).values(
                    id=job_id,
                    kind=request.kind,
                    state=JobState.RUNNING,
                    dry_run=int(request.dry_run),
                    accept_valid=int(request.accept_valid),
                    file_name=request.file.name,
                    sha256=request.file.sha256,
                    size=request.file.size,
                    actor=request.actor,
                    scope_org=str(request.scope_org) if request.scope_org else None,
                    done=0,
                    total=None,
                    created_at=now,
                    updated_at=now,
                )
            )
        task = asyncio.create_task(self._run(job_id, request, importer, after))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job_id

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def wait(self) -> None:
        """Until every job this process started has ended (tests, shutdown)."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(
        self,
        job_id: str,
        request: JobRequest,
        importer: Importer,
        after: Callable[[Report], Awaitable[None]] | None,
    ) -> None:
        latest: tuple[int, int | None] = (0, None)

        def progress(done: int, total: int | None) -> None:
            nonlocal latest
            latest = (done, total)

        async def heartbeat() -> None:
            while True:
                await asyncio.sleep(HEARTBEAT)
                try:
                    await self._update(job_id, done=latest[0], total=latest[1])
                except OperationalError:  # busy for long: the next beat tries again
                    log.warning("import job %s: progress not recorded (database busy)", job_id)

        ticker = asyncio.create_task(heartbeat())
        try:
            report = await run_import(
                request.file,
                importer,
                actor=request.actor,
                dry_run=request.dry_run,
                accept_valid=request.accept_valid,
                on_progress=progress,
            )
            if after is not None:
                await after(report)
        except asyncio.CancelledError:
            await self._update(job_id, state=JobState.INTERRUPTED)
            raise
        except Exception as error:  # the job broke: say so on the job, keep the service up
            log.exception("import job %s failed", job_id)
            await self._update(job_id, state=JobState.FAILED, error=safe_error_text(error))
            return
        finally:
            ticker.cancel()
        await self._update(
            job_id,
            state=JobState.SUCCEEDED,
            done=report.rows,
            total=report.rows,
            summary=report.summary(),
            problems=[p.as_dict() for p in report.problems],
        )

    async def _update(self, job_id: str, **values: Any) -> None:
        """Record the job's progress or end, retried while the database is busy (an
        embedded SQLite file is locked while a large batch commits)."""
        for attempt in range(UPDATE_ATTEMPTS):
            try:
                async with self.db.engine.begin() as conn:
                    await conn.execute(
                        update(import_jobs)
                        .where(import_jobs.c.id == job_id)
                        .values(updated_at=_now(), **values)
                    )
                return
            except OperationalError:
                if attempt == UPDATE_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(min(2**attempt, 10))

    async def get(self, job_id: str) -> dict[str, Any] | None:
        async with self.db.engine.connect() as conn:
            row = (
                await conn.execute(select(import_jobs).where(import_jobs.c.id == job_id))
            ).first()
        if row is None:
            return None
        job = dict(row._mapping)
        for moment in ("created_at", "updated_at"):
            if job[moment].tzinfo is None:  # SQLite gives naive UTC back
                job[moment] = job[moment].replace(tzinfo=UTC)
        if job["state"] == JobState.RUNNING and _now() - job["updated_at"] > SILENT_AFTER:
            job["state"] = JobState.INTERRUPTED.value
        return job


def _now() -> datetime:
    return datetime.now(UTC)
