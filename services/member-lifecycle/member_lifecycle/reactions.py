"""What member-lifecycle does when events arrive, its own or other services' (policies)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from jiceng.eventlog.records import FeedEvent
from jiceng.followers.reacting import Changes, Reaction
from jiceng.orgtree import contract
from member_lifecycle import SERVICE, contracts
from member_lifecycle.domain.membership import OrgMembership
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import COUNTED_STAGES, Stage


def move_members_on_merge(event: FeedEvent, changes: Changes) -> None:
    """An organisation merged into another (合并): its members now belong to the target.

    People counted one by one move with an event on their own record (the counting
    reaction then moves their counts); the baseline the rest of the counts come from moves
    in bulk.
    """
    if event.type != contract.MERGED:
        return
    source = changes.get(OrgMembership.create_id(UUID(event.stream_id)))
    if source is None or source.as_of is None:
        return  # nothing counted there
    target_id = UUID(event.payload["into_id"])
    merged_on = date.fromisoformat(event.payload["merged_on"])
    for person_id in sorted(source.people):
        person: Person | None = changes.get(UUID(person_id))
        if person is not None and person.branch_id == UUID(event.stream_id):
            person.move_by_merger(target_id, merged_on)
    target = _membership(changes, target_id)
    moved = source.baseline()
    as_of = max(d for d in (merged_on, source.as_of, target.as_of) if d is not None)
    target.adjust(moved, as_of)
    source.adjust({c: -n for c, n in moved.items()}, as_of)


def _membership(changes: Changes, org_id: UUID) -> OrgMembership:
    membership: OrgMembership | None = changes.get(OrgMembership.create_id(org_id))
    if membership is None:
        membership = OrgMembership(org_id=org_id)
        changes.add(membership)
    return membership


def count_people(event: FeedEvent, changes: Changes) -> None:
    """A person changed stage or branch: move them between their organisations' counts.

    Person events that change either carry ``evidence.before``; the counts are published as
    ``OrgMembership.Counted``, the contract org-registry, assessment and funding follow.
    """
    if event.type not in contracts.PERSON_RECORDED:
        return
    recorded = contracts.person_recorded(event)
    before = recorded["evidence"].get("before")
    if before is None:
        return
    after = recorded["changes"]
    moves = (
        (before["branch_id"], before["stage"], -1),
        (after.get("branch_id", before["branch_id"]), after.get("stage", before["stage"]), 1),
    )
    on = date.fromisoformat(recorded["on"])
    person = event.stream_id
    for branch_id, stage, delta in moves:
        category = COUNTED_STAGES.get(Stage.of(stage))
        if category is None:
            continue
        membership = _membership(changes, UUID(branch_id))
        if delta < 0:
            membership.adjust({category: -1}, on, left=[person])
        else:
            membership.adjust({category: 1}, on, joined={person: category})


def reactions() -> list[tuple[str, str, Reaction]]:
    return [
        (contract.STREAM, "merges", move_members_on_merge),
        (SERVICE, "member-counts", count_people),
    ]
