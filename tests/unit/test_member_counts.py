"""Member counts: recording them, and moving them when an organisation is merged."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from jiceng.errors import RuleViolation
from jiceng.eventlog import EventMeta, Storage
from jiceng.eventlog.records import FeedEvent, read_page
from jiceng.followers.reacting import Changes
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain.membership import OrgMembership
from member_lifecycle.reactions import move_members_on_merge

META = EventMeta(actor="jwt:clerk")


@pytest.fixture
def lifecycle() -> MemberLifecycle:
    return MemberLifecycle(Storage.memory("member-lifecycle"))


def record(app: MemberLifecycle, org: uuid.UUID, formal: int, on: str = "2026-06-30") -> None:
    membership = app.membership(org) or OrgMembership(org_id=org)
    membership.record(
        formal=formal,
        probationary=1,
        activists=2,
        candidates=0,
        applicants=3,
        as_of=date.fromisoformat(on),
    )
    app.save(membership, meta=META)


def test_counts_are_published_for_the_other_services(lifecycle: MemberLifecycle) -> None:
    org = uuid.uuid4()
    record(lifecycle, org, 9)
    counted = [
        e
        for e in read_page(lifecycle, after=0, limit=10).events
        if e.type == "OrgMembership.Counted"
    ]
    assert counted[0].payload == {
        "org_id": str(org),
        "formal": 9,
        "probationary": 1,
        "activists": 2,
        "candidates": 0,
        "applicants": 3,
        "as_of": "2026-06-30",
        "joined": {},
        "left": [],
    }
    with pytest.raises(RuleViolation) as older:
        record(lifecycle, org, 9, on="2026-01-01")
    assert older.value.code == "membership.count_older_than_recorded"


def merged(source: uuid.UUID, target: uuid.UUID) -> FeedEvent:
    return FeedEvent(
        id=42,
        stream_id=str(source),
        stream_version=3,
        type="Organisation.Merged",
        occurred_at="2026-07-01T00:00:00+00:00",
        actor="jwt:admin",
        correlation_id="c",
        causation_id=None,
        reason=None,
        policy_pack=None,
        payload={"into_id": str(target), "merged_on": "2026-07-01"},
    )


def test_a_merge_moves_the_members_to_the_target(lifecycle: MemberLifecycle) -> None:
    source, target = uuid.uuid4(), uuid.uuid4()
    record(lifecycle, source, 4)
    record(lifecycle, target, 10)
    changes = Changes(lifecycle)
    move_members_on_merge(merged(source, target), changes)
    lifecycle.save(*changes.aggregates, meta=META)
    moved_to, moved_from = lifecycle.membership(target), lifecycle.membership(source)
    assert moved_to is not None and moved_from is not None
    assert (moved_to.formal, moved_to.probationary, moved_to.applicants) == (14, 2, 6)
    assert (moved_from.formal, moved_from.as_of) == (0, date(2026, 7, 1))


def test_a_merge_of_an_uncounted_organisation_changes_nothing(lifecycle: MemberLifecycle) -> None:
    changes = Changes(lifecycle)
    move_members_on_merge(merged(uuid.uuid4(), uuid.uuid4()), changes)
    assert changes.aggregates == []


def react(app: MemberLifecycle, policy: object, after: int) -> int:
    """Run a reaction over the log's new events, as the process follower does."""
    page = read_page(app, after=after, limit=1000)
    for event in page.events:
        changes = Changes(app)
        policy(event, changes)  # type: ignore[operator]
        if changes.aggregates:
            app.save(*changes.aggregates, meta=META)
    return page.events[-1].id if page.events else after


def test_a_merge_moves_people_on_their_records_and_the_baseline_in_bulk(
    lifecycle: MemberLifecycle,
) -> None:
    from member_lifecycle.domain.stages import Stage
    from member_lifecycle.reactions import count_people
    from path_support import person, rules

    source, target = uuid.uuid4(), uuid.uuid4()
    record(lifecycle, source, 4)  # baseline: 4 formal, 1 probationary, 2 activists, 3 applicants
    member = person(branch=source)
    lifecycle.save(member, meta=META)
    member.import_membership(Stage.FORMAL, date(2010, 7, 1), date(2011, 7, 1), "库", rules())
    lifecycle.save(member, meta=META)
    seen = react(lifecycle, count_people, 0)
    counted = lifecycle.membership(source)
    assert counted is not None and counted.formal == 5 and list(counted.people) == [str(member.id)]

    changes = Changes(lifecycle)
    move_members_on_merge(merged(source, target), changes)
    lifecycle.save(*changes.aggregates, meta=META)
    assert lifecycle.person(member.id).branch_id == target
    react(lifecycle, count_people, seen)  # the person's own event moves their count

    moved_to, moved_from = lifecycle.membership(target), lifecycle.membership(source)
    assert moved_to is not None and moved_from is not None
    assert (moved_to.formal, moved_to.applicants) == (5, 3)
    assert (moved_from.formal, moved_from.applicants, moved_from.people) == (0, 0, {})
    assert list(moved_to.people) == [str(member.id)]
