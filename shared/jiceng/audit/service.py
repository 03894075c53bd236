"""A service's audit duties: chain its log, sign checkpoints of the chain's head."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

import anyio
from sqlalchemy import select

from jiceng.audit.checkpoints import AuditCheckpoint, Signer
from jiceng.audit.index import audit_checkpoints
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.records import jsonable
from jiceng.followers.locks import LockSession
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.settings import Settings

log = logging.getLogger(__name__)


def signer_for(settings: Settings) -> Signer:
    if settings.audit_signing_key is not None:
        return Signer(base64.b64decode(settings.audit_signing_key.get_secret_value()))
    return Signer.derived_for_dev(settings.jwt_secret.get_secret_value())


class Auditor:
    #: The subscription lock whose holder signs the periodic checkpoints.
    LOCK = "audit:checkpoints"

    def __init__(
        self,
        service: str,
        settings: Settings,
        log_: EventLog,
        db: ReadModelDatabase,
        locks: LockSession | None = None,
    ) -> None:
        self.service = service
        self.algorithm = settings.audit_algorithm
        self.interval = settings.audit_checkpoint_seconds
        self.signer = signer_for(settings)
        self.log = log_
        self.db = db
        self.locks = locks
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def chain_head(self) -> tuple[int, str] | None:
        return await anyio.to_thread.run_sync(self.log.chain_head)

    async def last_checkpoint(self) -> dict[str, Any] | None:
        async with self.db.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(audit_checkpoints).order_by(audit_checkpoints.c.event_id.desc()).limit(1)
                )
            ).one_or_none()
        return jsonable(row._asdict()) if row else None

    async def sign_checkpoint(self, meta: EventMeta | None = None) -> dict[str, Any] | None:
        """Sign the chain's head, unless nothing but checkpoints was chained since the last."""
        async with self._lock:
            head = await self.chain_head()
            if head is None:
                return None
            last = await self.last_checkpoint()
            if last is not None and head[0] <= int(last["event_id"]):
                return last
            fields: dict[str, Any] = {
                "service": self.service,
                "position": head[0],
                "digest": head[1],
                "algorithm": self.algorithm,
                "signed_at": datetime.now(UTC).isoformat(),
            }
            signed = {
                **fields,
                "public_key": self.signer.public_key,
                "signature": self.signer.sign(fields),
            }
            checkpoint = AuditCheckpoint(
                **{**signed, "signed_at": datetime.fromisoformat(fields["signed_at"])}
            )
            attribution = meta or EventMeta(
                actor=f"service:{self.service}", reason="periodic checkpoint"
            )
            await anyio.to_thread.run_sync(lambda: self.log.save(checkpoint, meta=attribution))
            return signed

    def start(self) -> None:
        if self.interval > 0:
            self._task = asyncio.create_task(self._every_interval(), name="audit-checkpoints")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _every_interval(self) -> None:
        """Sign periodically, in the one process holding the checkpoints' lock (replicas
        would otherwise sign the same head over and over)."""
        while True:
            await asyncio.sleep(self.interval)
            try:
                if self.locks is None or await self.locks.acquire(self.LOCK):
                    await self.sign_checkpoint()
            except Exception:
                log.exception("could not sign a checkpoint")
