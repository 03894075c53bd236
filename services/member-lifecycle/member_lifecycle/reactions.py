"""What member-lifecycle does when other services' events arrive (policies)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from jiceng.consumer.process import Changes, Policy
from jiceng.eventlog.records import FeedEvent
from jiceng.orgtree import contract
from member_lifecycle.domain.membership import OrgMembership

CATEGORIES = ("formal", "probationary", "activists", "candidates", "applicants")


def move_members_on_merge(event: FeedEvent, changes: Changes) -> None:
    """An organisation merged into another (合并): its members now belong to the target."""
    if event.type != contract.MERGED:
        return
    source = changes.get(OrgMembership.create_id(UUID(event.stream_id)))
    if source is None or source.as_of is None:
        return  # nothing counted there
    target_id = UUID(event.payload["into_id"])
    target = changes.get(OrgMembership.create_id(target_id))
    if target is None:
        target = OrgMembership(org_id=target_id)
        changes.add(target)
    moved = {c: getattr(source, c) for c in CATEGORIES}
    kept = {c: getattr(target, c, 0) for c in CATEGORIES}
    as_of = max(
        d
        for d in (date.fromisoformat(event.payload["merged_on"]), source.as_of, target.as_of)
        if d is not None
    )
    target.record(as_of=as_of, **{c: kept[c] + moved[c] for c in CATEGORIES})
    source.record(as_of=as_of, **dict.fromkeys(CATEGORIES, 0))


def reactions() -> list[tuple[str, str, Policy]]:
    return [(contract.STREAM, "merges", move_members_on_merge)]
