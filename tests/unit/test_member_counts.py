"""Member counts: recording them, and moving them when an organisation is merged."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from jiceng.consumer.process import Changes
from jiceng.errors import RuleViolation
from jiceng.eventlog import EventMeta, Storage
from jiceng.eventlog.records import FeedEvent, read_page
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.reactions import move_members_on_merge

META = EventMeta(actor="jwt:clerk")


@pytest.fixture
def lifecycle() -> MemberLifecycle:
    return MemberLifecycle(Storage.memory("member-lifecycle"))


def record(app: MemberLifecycle, org: uuid.UUID, formal: int, on: str = "2026-06-30") -> None:
    app.record_member_counts(
        org,
        formal=formal,
        probationary=1,
        activists=2,
        candidates=0,
        applicants=3,
        as_of=date.fromisoformat(on),
        meta=META,
    )


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
