"""Ages on lists, from the sealed 身份证号: the read model never holds a birth date.

The people table keeps the sealed number and the month of birth only. Lists open the number to
show the age; an age filter narrows by month in SQL and decides the boundary month here, page
by page, so that a database reader sees no birth date either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.engine import Row

from jiceng.ids import resident_id_birth_date
from jiceng.orgtree.paging import rows_in_subtree
from jiceng.orgtree.queries import OrgNode
from jiceng.personal import PersonalDataSealer
from jiceng.readmodel.database import ReadModelDatabase
from member_lifecycle.domain.evidence import add_months, full_years
from member_lifecycle.projections.people import people


def birth_date(sealer: PersonalDataSealer, row: Row[Any]) -> date:
    return resident_id_birth_date(sealer.open("resident_id", row.resident_id_sealed))


def age(sealer: PersonalDataSealer, row: Row[Any], on: date) -> int:
    return full_years(birth_date(sealer, row), on)


def month_of(day: date) -> date:
    return day.replace(day=1)


def age_bounds(
    on: date, min_age: int | None, max_age: int | None
) -> tuple[list[ColumnElement[bool]], Callable[[date], bool] | None]:
    """SQL conditions on the birth month (never too narrow), and the exact test of a birth
    date, for people aged ``min_age`` to ``max_age`` full years on ``on``."""
    where: list[ColumnElement[bool]] = []
    if min_age is None and max_age is None:
        return where, None
    # N full years ⇔ born on or before the day N years ago.
    latest = add_months(on, -12 * min_age) if min_age is not None else None
    earliest_excluded = add_months(on, -12 * (max_age + 1)) if max_age is not None else None
    if latest is not None:
        where.append(people.c.born_month <= month_of(latest))
    if earliest_excluded is not None:
        where.append(people.c.born_month >= month_of(earliest_excluded))

    def exact(born: date) -> bool:
        return (latest is None or born <= latest) and (
            earliest_excluded is None or born > earliest_excluded
        )

    return where, exact


async def people_page(
    db: ReadModelDatabase,
    root: OrgNode,
    *,
    after: list[Any] | None,
    limit: int,
    where: tuple[Any, ...] = (),
    keep: Callable[[Row[Any]], bool] | None = None,
) -> list[Row[Any]]:
    """Up to ``limit + 1`` people of the subtree by (name, id) after ``after`` that ``keep``
    keeps: rows the SQL could not decide are read on until the page is full."""
    if keep is None:
        return await rows_in_subtree(
            db, people, people.c.branch_id, root, after=after, limit=limit, where=where
        )
    kept: list[Row[Any]] = []
    key = after
    while len(kept) <= limit:
        rows = await rows_in_subtree(
            db, people, people.c.branch_id, root, after=key, limit=limit, where=where
        )
        kept += [r for r in rows if keep(r)]
        if len(rows) <= limit:
            break
        key = [rows[-1].name, rows[-1].id]
    return kept[: limit + 1]
