"""Optimistic concurrency over HTTP: ``ETag`` is the stream version, ``If-Match`` checks it."""

from __future__ import annotations

from jiceng.errors import InvalidInput
from jiceng.eventlog.versions import check_version

__all__ = ["check_version", "etag", "parse_if_match"]


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int | None:
    """The version an ``If-Match`` header names (None when absent or ``*``)."""
    if value is None or value.strip() == "*":
        return None
    token = value.strip()
    if token.startswith("W/"):
        token = token[2:]
    token = token.strip('"')
    # A version is a stream position: eighteen digits are more than any stream will reach.
    if not token.isascii() or not token.isdigit() or len(token) > 18:
        raise InvalidInput("concurrency.precondition_malformed", value=value)
    return int(token)
