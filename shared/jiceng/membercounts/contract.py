"""The member-lifecycle event other services read for member counts (its published language).

The producer's tests check the events it really writes against :class:`MembersCounted`;
renaming a field here or there breaks them, not a follower in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

STREAM = "member-lifecycle"
MEMBERS_COUNTED = "OrgMembership.Counted"


@dataclass(frozen=True)
class MembersCounted:
    """``OrgMembership.Counted``: the numbers of the organisation's own members (not of its
    subtree), as of a date."""

    org_id: UUID
    formal: int
    probationary: int
    activists: int
    candidates: int
    applicants: int
    as_of: date | None
    #: people counted one by one who joined (person id → category) or left with this count
    joined: dict[str, str]
    left: list[str]

    @classmethod
    def parse(cls, payload: dict[str, Any]) -> MembersCounted:
        """Read a feed payload; no ``org_id`` raises ``KeyError``, a mistyped count
        ``ValueError``."""
        as_of = payload.get("as_of")
        return cls(
            org_id=UUID(str(payload["org_id"])),
            formal=_count(payload, "formal"),
            probationary=_count(payload, "probationary"),
            activists=_count(payload, "activists"),
            candidates=_count(payload, "candidates"),
            applicants=_count(payload, "applicants"),
            as_of=date.fromisoformat(as_of) if as_of else None,
            joined={str(k): str(v) for k, v in (payload.get("joined") or {}).items()},
            left=[str(p) for p in payload.get("left") or []],
        )


def _count(payload: dict[str, Any], name: str) -> int:
    # A category an event does not name counts none (readers have always taken it so).
    value = payload.get(name, 0)
    if not isinstance(value, int) or isinstance(value, bool):
        msg = f"{MEMBERS_COUNTED}.{name} must be an integer, not {value!r}"
        raise ValueError(msg)
    return value
