"""Trying dead letters again, after the fault that set them aside has been fixed.

Each dead letter is re-read from its feed (an event that could not be decoded may decode now)
and applied as its follower would: a projection applies it and forgets the dead letter in one
transaction; a reaction saves its new events under a claim named for the dead letter, so a
retry that crashed halfway never reacts twice. Dead letters are tried in event order (a
parent's before its child's); one that fails again stays, with the new error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from jiceng.eventlog.records import UNDECODABLE, FeedEvent
from jiceng.followers.follower import Follower
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.readmodel.tables import dead_letters
from jiceng.redaction import safe_error_text


@dataclass(frozen=True)
class Retried:
    consumer: str
    event_id: int
    applied: bool
    error: str | None = None


async def retry_dead_letters(
    followers: Mapping[str, Follower],
    db: ReadModelDatabase,
    *,
    consumer: str | None = None,
    event_id: int | None = None,
) -> list[Retried]:
    query = select(dead_letters).order_by(dead_letters.c.event_id, dead_letters.c.id)
    if consumer is not None:
        query = query.where(dead_letters.c.consumer == consumer)
    if event_id is not None:
        query = query.where(dead_letters.c.event_id == event_id)
    async with db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    results: list[Retried] = []
    for row in rows:
        follower = followers.get(row.consumer)
        if follower is None:
            results.append(Retried(row.consumer, row.event_id, False, "no such follower"))
            continue
        try:
            event = await _reread(follower, int(row.event_id)) or FeedEvent.from_dict(row.event)
            if event.type == UNDECODABLE:
                msg = f"event {event.id} still cannot be decoded: {event.payload.get('error')}"
                raise ValueError(msg)
            await follower.reapply(event)
        except Exception as error:
            text = safe_error_text(error, 2000)
            async with db.engine.begin() as conn:
                await conn.execute(
                    update(dead_letters)
                    .where(dead_letters.c.id == row.id)
                    .values(attempts=dead_letters.c.attempts + 1, error=text)
                )
            results.append(Retried(row.consumer, row.event_id, False, text))
            continue
        async with db.engine.begin() as conn:
            await conn.execute(delete(dead_letters).where(dead_letters.c.id == row.id))
        follower.status.dead_letters = max(follower.status.dead_letters - 1, 0)
        results.append(Retried(row.consumer, row.event_id, True))
    return results


async def _reread(follower: Follower, event_id: int) -> FeedEvent | None:
    page = await follower.source.read(event_id - 1, 1, 0)
    return next((e for e in page.events if e.id == event_id), None)
