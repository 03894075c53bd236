"""Audit figures, as ratios against baselines measured in the same run.

- verify: events per second through the whole offline verification, against hashing the same
  canonical bytes with SM3 in a plain loop;
- state at a moment: rebuilding a 100-event stream as of its 50th event, against loading the
  current state through the repository (SQLite).
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

from jiceng.audit.bundle import Bundle, verify
from jiceng.audit.history import state_at
from jiceng.eventlog import EventMeta, Storage, sm3
from jiceng.eventlog.chain import event_bytes, genesis, link
from jiceng.eventlog.records import FeedEvent
from jiceng.policy import default_catalogue
from org_registry.application import OrgRegistry
from org_registry.domain.organisation import Organisation
from org_registry.domain.types import OrgDomain, OrgType

EVENTS = 20_000


def synthetic_bundle() -> Bundle:
    events = [
        FeedEvent(
            id=n,
            stream_id=f"{(n - 1) % 500:08d}-0000-0000-0000-000000000000",
            stream_version=(n - 1) // 500 + 1,
            type="Organisation.Renamed",
            occurred_at="2026-11-23T08:00:00+00:00",
            actor="jwt:clerk",
            correlation_id=f"c{n}",
            causation_id=f"request:{n}",
            reason="更名",
            policy_pack="national@1",
            payload={"name": f"第{n}党支部", "short_name": None},
        )
        for n in range(1, EVENTS + 1)
    ]
    digests, previous = {}, genesis("bench", "sm3")
    for event in events:
        previous = link(previous, event, "sm3")
        digests[event.id] = previous.hex()
    return Bundle("bench", "sm3", events, digests, [])


def test_verify_throughput() -> None:
    bundle = synthetic_bundle()
    started = time.perf_counter()
    for event in bundle.events:
        hasher = sm3.new("sm3")
        hasher.update(event_bytes(event))
        hasher.digest()
    plain = time.perf_counter() - started
    started = time.perf_counter()
    report = verify(bundle)
    verifying = time.perf_counter() - started
    assert report.ok
    print(
        f"\n{EVENTS} events: verify {EVENTS / verifying:,.0f} events/s = "
        f"{plain / verifying:.2f} x SM3 of the same canonical bytes "
        f"({EVENTS / plain:,.0f} events/s)"
    )


def test_state_at_a_moment_on_a_100_event_stream(tmp_path: Path) -> None:
    registry = OrgRegistry(Storage(service="org-registry", kind="sqlite", directory=tmp_path))
    policy, meta = default_catalogue().policy("national"), EventMeta(actor="jwt:bench")
    org = Organisation.establish(
        policy=policy,
        name="基准党委",
        org_type=OrgType.COMMITTEE,
        domain=OrgDomain.OTHER,
        parent=None,
        established_on=date(2020, 1, 1),
    )
    registry.save(org, meta=meta)
    for n in range(99):
        renamed = registry.organisation(org.id)
        renamed.rename(f"基准党委{n}")
        registry.save(renamed, meta=meta)
    events = list(registry.events.get(org.id))
    assert len(events) == 100
    middle = events[49].timestamp
    registry.repository.cache = None

    def p50_p99(call) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        samples = []
        for _ in range(200):
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        return statistics.median(samples), samples[197]

    current = p50_p99(lambda: registry.organisation(org.id))
    past = p50_p99(lambda: state_at(registry, org.id, at=middle))
    assert state_at(registry, org.id, at=middle)["version"] == 50
    print(
        f"\nstream of 100 events (SQLite), ms: state at event 50 p50 {past[0]:.2f} "
        f"p99 {past[1]:.2f} = {past[0] / current[0]:.2f} x loading the current state "
        f"(p50 {current[0]:.2f} p99 {current[1]:.2f})"
    )
    registry.close()
