"""The member-lifecycle events other services rely on (the published language of its feed).

Changing a name or a payload field here is a breaking change for every follower; the
producer's tests check the events it really writes against :class:`MembersCounted`.
"""

from __future__ import annotations

from typing import NotRequired, cast

from typing_extensions import TypedDict

from jiceng.eventlog.records import FeedEvent

STREAM = "member-lifecycle"

MEMBERS_COUNTED = "OrgMembership.Counted"


class MembersCounted(TypedDict):
    """``OrgMembership.Counted``: the numbers of the organisation's own members (not of its
    subtree), by category, as of a date (ISO)."""

    org_id: str
    formal: int
    probationary: int
    activists: int
    candidates: int
    applicants: int
    as_of: str
    #: People counted one by one who came in (person id → category) or left with this event;
    #: absent from counts recorded before people were counted one by one.
    joined: NotRequired[dict[str, str] | None]
    left: NotRequired[list[str] | None]


def members_counted(event: FeedEvent) -> MembersCounted:
    """The payload of an ``OrgMembership.Counted`` event, typed."""
    if event.type != MEMBERS_COUNTED:
        msg = f"not {MEMBERS_COUNTED}: {event.type}"
        raise ValueError(msg)
    return cast(MembersCounted, event.payload)
