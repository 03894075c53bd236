"""Cursor pagination: an opaque cursor encodes the sort key of the last item returned."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from jiceng.errors import InvalidInput

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


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError) as error:
        raise InvalidInput("request.malformed_cursor", cursor=cursor) from error
    if not isinstance(value, list):
        raise InvalidInput("request.malformed_cursor", cursor=cursor)
    return value


CursorParam = Annotated[str | None, Query(description="Opaque cursor from next_cursor")]
LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
