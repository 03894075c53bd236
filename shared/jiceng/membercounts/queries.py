"""Reading the member-counts copy."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.membercounts.projection import member_counts

__all__ = ["member_counts", "own_members"]


async def own_members(conn: AsyncConnection, org_id: str) -> int:
    """正式 and 预备 members of the organisation itself (0 when none were ever counted)."""
    row = (
        await conn.execute(select(member_counts).where(member_counts.c.org_id == org_id))
    ).one_or_none()
    return 0 if row is None else int(row.formal + row.probationary)
