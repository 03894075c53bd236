"""Keyset pagination over (name, id): stable pages however many rows come and go."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_


def after_name_and_id(
    name: ColumnElement[Any], row_id: ColumnElement[Any], key: list[Any] | tuple[Any, ...] | None
) -> ColumnElement[bool] | None:
    """The condition for rows after the keyset ``key`` = (name, id); None without a key."""
    if not key or len(key) != 2:
        return None
    last_name, last_id = str(key[0]), str(key[1])
    return or_(name > last_name, and_(name == last_name, row_id > last_id))
