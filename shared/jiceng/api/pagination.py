"""Cursor pagination: an opaque cursor encodes the sort key of the last item returned."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from jiceng.errors import InvalidInput
from jiceng.text import has_control_characters

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page"
    )


def keyset_page(rows: list[T], limit: int, key: Callable[[T], list[Any]]) -> Page[T]:
    """A page of the first ``limit`` of ``rows`` (fetched as ``limit + 1`` to know if more)."""
    items = rows[:limit]
    more = len(rows) > limit
    return Page[T](items=items, next_cursor=encode_cursor(key(items[-1])) if more else None)


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


#: The longest cursor accepted: one sort key of a few short values.
MAX_CURSOR_LENGTH = 2000
_MAX_TEXT = 500
_INT64 = 2**63 - 1


def decode_cursor(cursor: str | None, shape: tuple[type, ...]) -> list[Any] | None:
    """The sort key a cursor encodes, checked against ``shape`` (``str``, ``int``, ``date``
    or ``datetime`` per value; dates travel as ISO strings).

    A cursor is opaque to clients but arrives from them: anything that is not a key this
    server could have made (deep nesting, huge numbers, control characters, the wrong shape)
    is refused as ``request.malformed_cursor`` before it reaches a query.
    """
    if not cursor:
        return None
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidInput("request.malformed_cursor", cursor=cursor[:40] + "…")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(value, list) or len(value) != len(shape):
            raise ValueError("wrong shape")
        return [_checked(item, kind) for item, kind in zip(value, shape, strict=True)]
    except (ValueError, UnicodeError, RecursionError, TypeError) as error:
        raise InvalidInput("request.malformed_cursor", cursor=cursor[:40]) from error


def _checked(item: Any, kind: type) -> Any:
    if kind is int:
        if isinstance(item, bool) or not isinstance(item, int) or abs(item) > _INT64:
            raise ValueError("not an integer key")
        return item
    if not isinstance(item, str) or len(item) > _MAX_TEXT or has_control_characters(item):
        raise ValueError("not a text key")
    if kind is date:
        return date.fromisoformat(item)
    if kind is datetime:
        moment = datetime.fromisoformat(item)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return item


CursorParam = Annotated[str | None, Query(description="Opaque cursor from next_cursor")]
LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
