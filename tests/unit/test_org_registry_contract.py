"""org-registry writes what its published contract says (jiceng.orgtree.contract).

The real domain and event log write each published event; every payload, as the feed serves
it, must carry every field of its contract type with the right type. Renaming or retyping a
field on either side fails here, before a follower's copy of the tree breaks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jiceng.eventlog import EventMeta, Storage
from jiceng.eventlog.records import FeedEvent, read_page, to_feed_event
from jiceng.orgtree import contract
from jiceng.policy import default_catalogue
from org_registry.application import OrgRegistry
from org_registry.domain.organisation import ImportSource, Organisation
from org_registry.domain.types import OrgDomain, OrgType

NATIONAL = default_catalogue().policy("national")
META = EventMeta(actor="jwt:contract")
DAY = date(2026, 3, 2)
ROW = ImportSource(file="county.xlsx", sheet="组织", row=3, sha256="0" * 64)


def published_events() -> list[FeedEvent]:
    """One of each event org-registry publishes, written by its own aggregate and log."""
    registry = OrgRegistry(Storage.memory("org-registry"))

    def establish(name: str, parent: Organisation | None, **extra: Any) -> Organisation:
        org = Organisation.establish(
            policy=NATIONAL,
            name=name,
            org_type=OrgType.COMMITTEE if parent is None else OrgType.BRANCH,
            domain=OrgDomain.RURAL,
            parent=parent,
            established_on=DAY,
            **extra,
        )
        registry.save(org, parent, meta=META)
        return org

    def change(org: Organisation, *others: Organisation | None) -> None:
        registry.save(org, *others, meta=META)

    town = establish("镇党委", None, code="C-1", region_code="330100", source=ROW)
    other = establish("乡党委", None)
    village = establish("东村党支部", town, short_name="东村")
    kept = establish("西村党支部", town)

    village.rename("东村第一党支部", "一支部", source=ROW)
    change(village)
    village.reaffiliate(NATIONAL, other, town, [])
    change(village, town, other)
    village.dissolve(DAY, 0, other)
    change(village, other)
    village.restore(DAY, other)
    change(village, other)
    kept.merge_into(NATIONAL, village, [other.id], [], town, DAY)
    change(kept, village, town)
    town.assign_policy_pack(default_catalogue().pack("national"), DAY)
    change(town)

    mapper = registry.mapper
    notifications = registry.recorder.select_notifications(start=1, limit=1000)
    feed = [to_feed_event(mapper, n) for n in notifications]
    assert [e.id for e in feed] == [e.id for e in read_page(registry, after=0, limit=1000).events]
    return feed


@pytest.fixture(scope="module")
def events() -> list[FeedEvent]:
    return published_events()


@pytest.mark.parametrize("kind", list(contract.PAYLOADS.values()), ids=lambda k: k.TYPE)
def test_each_published_event_carries_its_contract(
    events: list[FeedEvent], kind: type[contract.Payload]
) -> None:
    written = [e for e in events if e.type == kind.TYPE]
    assert written, f"the scenario wrote no {kind.TYPE}"
    for event in written:
        assert kind.problems(event.payload) == [], event.payload
        kind.parse(event.payload)


def test_an_imported_row_is_checked_field_by_field(events: list[FeedEvent]) -> None:
    imported = next(e for e in events if e.type == contract.ESTABLISHED and e.payload["source"])
    parsed = contract.parse(contract.Established, imported.payload)
    assert parsed.source == ROW
    assert parsed.established_on == DAY
    broken = {**imported.payload, "source": {**ROW, "row": "3"}}
    assert contract.Established.problems(broken) != []


def test_a_renamed_or_retyped_field_breaks_the_contract(events: list[FeedEvent]) -> None:
    merged = next(e for e in events if e.type == contract.MERGED).payload
    renamed = {"target_id" if k == "into_id" else k: v for k, v in merged.items()}
    assert contract.Merged.problems(renamed) == ["no 'into_id'"]
    with pytest.raises(contract.ContractError):
        contract.parse(contract.Merged, {**merged, "merged_on": 20260302})
    with pytest.raises(contract.ContractError):
        contract.parse(contract.Reaffiliated, {"parent_id": "not a uuid"})


def test_readers_accept_events_written_before_a_field_existed() -> None:
    """A version 1 Established has no ``source``; a copy still folds it."""
    old = {"name": "县委", "org_type": "committee", "domain": "rural", "parent_id": None}
    parsed = contract.parse(contract.Established, old)
    assert (parsed.source, parsed.code, parsed.student_branch) == (None, None, False)
    assert contract.Established.problems(old) != []  # but org-registry writes every field
