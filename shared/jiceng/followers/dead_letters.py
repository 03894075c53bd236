"""Setting aside an event that keeps failing, so the follower moves on and an operator sees it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from jiceng.eventlog.records import FeedEvent
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.tables import dead_letters
from jiceng.redaction import safe_error_text


async def record_dead_letter(
    db: ReadModelDatabase, follower: str, event: FeedEvent, error: Exception, attempts: int
) -> None:
    """Record the event and its (redacted) error once, whatever number of times it is asked."""
    async with db.engine.begin() as conn:
        # Idempotent: a dead letter recorded before a crash is not recorded twice.
        exists = (
            await conn.execute(
                select(dead_letters.c.id)
                .where(dead_letters.c.consumer == follower)
                .where(dead_letters.c.event_id == event.id)
            )
        ).first()
        if exists is None:
            await conn.execute(
                insert(dead_letters).values(
                    consumer=follower,
                    event_id=event.id,
                    event_type=event.type,
                    stream_id=event.stream_id,
                    error=safe_error_text(error, 2000),
                    attempts=attempts,
                    event=event.as_dict(),
                    recorded_at=datetime.now(UTC),
                )
            )


async def count_dead_letters(db: ReadModelDatabase, follower: str) -> int:
    async with db.engine.connect() as conn:
        query = select(func.count()).select_from(dead_letters)
        return int(
            (await conn.execute(query.where(dead_letters.c.consumer == follower))).scalar_one()
        )
