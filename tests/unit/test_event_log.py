"""The event log: attribution on every event, the canonical feed form, paging and filters."""

from __future__ import annotations

import uuid

import pytest
from eventsourcing.application import Application

from jiceng.auth.principal import Principal
from jiceng.commands import Caller, log_of
from jiceng.errors import StaleVersion
from jiceng.eventlog import EventMeta, Storage, UnattributedEventError
from jiceng.eventlog.records import canonical_json, read_page
from jiceng.policy import default_catalogue
from jiceng.settings import Settings
from org_registry.application import OrgRegistry
from org_registry.bootstrap import build_runtime
from org_registry.commands import OrgRegistryHandlers
from org_registry.domain.organisation import Organisation, OrgDomain, OrgType

NATIONAL = default_catalogue().policy("national")
META = EventMeta(
    actor="jwt:alice",
    reason="成立学院党总支",
    correlation_id="corr-1",
    causation_id="request:r1",
    policy_pack="national-2014@1",
)


@pytest.fixture
def registry() -> OrgRegistry:
    return OrgRegistry(Storage.memory("org-registry"))


def establish(registry: OrgRegistry, name: str, parent: uuid.UUID | None = None) -> uuid.UUID:
    """Establish as org-registry's handler does, naming the pack that decided."""
    parent_org = registry.organisation(parent) if parent else None
    org = Organisation.establish(
        policy=NATIONAL,
        name=name,
        org_type=OrgType.COMMITTEE,
        domain=OrgDomain.UNIVERSITY,
        parent=parent_org,
        established_on=None,
    )
    registry.save(org, parent_org, meta=META.with_pack(NATIONAL.ref))
    return org.id


def rename(registry: OrgRegistry, org_id: uuid.UUID, name: str) -> None:
    org = registry.organisation(org_id)
    org.rename(name)
    registry.save(org, meta=META)


def test_an_event_saved_without_attribution_is_refused(registry: OrgRegistry) -> None:
    org = Organisation.establish(
        policy=NATIONAL,
        name="x",
        org_type=OrgType.COMMITTEE,
        domain=OrgDomain.OTHER,
        parent=None,
        established_on=None,
    )
    with pytest.raises(TypeError):
        registry.save(org)  # type: ignore[call-arg]
    with pytest.raises(UnattributedEventError):
        Application.save(registry, org)  # the library's own save, bypassing ours
    assert registry.head() == 0


def test_every_event_carries_actor_reason_correlation_causation_and_pack(
    registry: OrgRegistry,
) -> None:
    establish(registry, "计算机学院党总支")
    page = read_page(registry, after=0, limit=10)
    [event] = page.events
    assert event.actor == "jwt:alice"
    assert event.reason == "成立学院党总支"
    assert event.correlation_id == "corr-1"
    assert event.causation_id == "request:r1"
    assert event.policy_pack == "national@1"  # the pack that decided, not the caller's
    assert event.type == "Organisation.Established"
    assert event.stream_version == 1
    assert event.payload == {
        "name": "计算机学院党总支",
        "org_type": "committee",
        "domain": "university",
        "parent_id": None,
        "established_on": None,
        "short_name": None,
        "code": None,
        "region_code": None,
        "student_branch": False,
        "source": None,  # the spreadsheet row an imported organisation came from
        "class_version": 2,
    }
    assert event.occurred_at.endswith("+00:00")


def test_a_replayed_event_still_has_its_attribution(registry: OrgRegistry) -> None:
    org_id = establish(registry, "党支部")
    [stored] = registry.events.get(org_id)
    assert stored.meta["actor"] == "jwt:alice"  # type: ignore[attr-defined]


def test_pages_follow_the_log_and_say_where_to_continue(registry: OrgRegistry) -> None:
    for n in range(25):
        establish(registry, f"支部{n}")
    first = read_page(registry, after=0, limit=10)
    assert [e.id for e in first.events] == list(range(1, 11))
    assert (first.next_after, first.head) == (10, 25)
    last = read_page(registry, after=20, limit=10)
    assert [e.id for e in last.events] == list(range(21, 26))
    assert last.next_after == 25
    assert read_page(registry, after=25, limit=10).events == []


def test_a_type_filter_skips_ahead_over_other_events(registry: OrgRegistry) -> None:
    org_id = establish(registry, "旧名")
    rename(registry, org_id, "新名")
    establish(registry, "另一个")
    topics = registry.topics_for(["Organisation.Renamed"])
    page = read_page(registry, after=0, limit=10, topics=topics)
    assert [e.type for e in page.events] == ["Organisation.Renamed"]
    assert page.next_after == 3  # the head: nothing of that type can appear below it later
    assert registry.topics_for(["NoSuch.Type"]) == []


async def test_renaming_from_a_stale_version_is_refused(settings: Settings) -> None:
    runtime = build_runtime(settings, Storage.memory("org-registry"))
    registry = log_of(runtime, OrgRegistry)
    handlers = OrgRegistryHandlers(runtime, registry)
    org_id = establish(registry, "党支部")
    caller = Caller(Principal("alice", frozenset()), META, expected_version=7)
    with pytest.raises(StaleVersion) as refused:
        await handlers.change(
            caller, lambda: registry.organisation(org_id), lambda org: org.rename("新名")
        )
    assert refused.value.params == {"expected": 7, "current": 1}


def test_two_writers_from_the_same_version_one_wins(registry: OrgRegistry) -> None:
    org_id = establish(registry, "党支部")
    first = registry.organisation(org_id)
    second = registry.organisation(org_id)
    first.rename("甲")
    second.rename("乙")
    registry.save(first, meta=META)
    with pytest.raises(StaleVersion):
        registry.save(second, meta=META)
    assert registry.organisation(org_id).name == "甲"


def test_canonical_json_is_stable() -> None:
    value = {"b": 1, "a": [uuid.UUID(int=1), "党"], "c": None}
    assert canonical_json(value) == (
        '{"a":["00000000-0000-0000-0000-000000000001","党"],"b":1,"c":null}'.encode()
    )


def test_events_can_be_encrypted_at_rest(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from eventsourcing.cryptography import AESCipher

    key = AESCipher.create_key(num_bytes=32)
    storage = Storage(service="org-registry", kind="sqlite", directory=tmp_path, cipher_key=key)
    registry = OrgRegistry(storage)
    establish(registry, "保密党支部")
    [raw] = registry.recorder.select_notifications(start=1, limit=1)
    assert "保密党支部".encode() not in raw.state
    assert b"jwt:alice" not in raw.state
    assert read_page(registry, after=0, limit=1).events[0].payload["name"] == "保密党支部"
    registry.close()
