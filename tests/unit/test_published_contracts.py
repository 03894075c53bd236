"""member-lifecycle's published events match the contracts other services read them by.

The events are written by the producer's own aggregates and read back as the feed serves
them; every field of the contract must be there with its type, so a renamed or retyped field
fails here, in the producer's tests, not in a follower in production.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from jiceng.calendar import Notice
from jiceng.eventlog import EventMeta, Storage
from jiceng.eventlog.records import read_page
from jiceng.membercounts import contract as counts
from jiceng.workingdays import contract as working_days
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain.calendar_notice import CalendarNotice
from member_lifecycle.domain.membership import OrgMembership

BRANCH = UUID("5b1d2f4e-9c3a-4f7e-8a61-2d0c9e7b4a13")
META = EventMeta(actor="test")


def published(tmp_path: Path, *aggregates: Aggregate) -> dict[str, dict[str, Any]]:
    """Save ``aggregates`` with the producer's application; the feed payload of each type."""
    app = MemberLifecycle(Storage(service="member-lifecycle", kind="sqlite", directory=tmp_path))
    app.save(*aggregates, meta=META)
    page = read_page(app, after=0, limit=100)
    app.close()
    return {e.type: e.payload for e in page.events}


def fields(contract: type) -> set[str]:
    return {f.name for f in dataclasses.fields(contract)}


def test_member_counts_carry_every_field_of_the_contract(tmp_path: Path) -> None:
    membership = OrgMembership(org_id=BRANCH)
    membership.record(
        formal=12, probationary=2, activists=5, candidates=1, applicants=7, as_of=date(2026, 3, 1)
    )
    payload = published(tmp_path, membership)[counts.MEMBERS_COUNTED]
    assert fields(counts.MembersCounted) <= set(payload)
    counted = counts.MembersCounted.parse(payload)
    assert counted == counts.MembersCounted(
        org_id=BRANCH,
        formal=12,
        probationary=2,
        activists=5,
        candidates=1,
        applicants=7,
        as_of=date(2026, 3, 1),
        joined={},
        left=[],
    )


def test_calendar_notices_carry_every_field_of_the_contract(tmp_path: Path) -> None:
    # The 2026 notice's National Day (as test_working_days reads it): 10/1–10/7 off,
    # Sunday 9/20 and Saturday 10/10 worked.
    notice = Notice(
        2026,
        frozenset(date(2026, 10, d) for d in range(1, 8)),
        frozenset({date(2026, 9, 20), date(2026, 10, 10)}),
        "国务院办公厅关于2026年部分节假日安排的通知",
    )
    payload = published(tmp_path, CalendarNotice.publish(notice))[working_days.PUBLISHED]
    assert fields(working_days.NoticeRecorded) <= set(payload)
    recorded = working_days.NoticeRecorded.parse(payload)
    assert (recorded.year, recorded.days_off, recorded.workdays) == (
        notice.year,
        notice.days_off,
        notice.workdays,
    )
