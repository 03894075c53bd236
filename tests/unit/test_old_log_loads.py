"""A log written before the command template still loads, replays to the same state, and
projects.

``tests/fixtures/logs/<service>.jsonl`` holds stored events as the code wrote them on
2026-11-27, before commands, events and contracts were typed: every event type and every
step, action and exit kind of a person, captured from the test suite and from the rule
book's flows (people sealed with ``path_support``'s key). ``<service>.state.json`` is what
replaying them gave then. Auditors replay years of events: a change of an event's shape must
keep loading these (class versions and upcasters), to the same state.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from sqlalchemy import func, select

from jiceng.eventlog.records import jsonable, read_page
from jiceng.orgtree.projection import org_nodes
from jiceng.registry import definition
from jiceng.settings import Settings
from member_lifecycle.projections.people import people

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "logs"
#: path_support's sealer key, which sealed the fixture's people.
PERSONAL_DATA_KEY = base64.b64encode(b"k" * 32).decode()

#: What each aggregate's replayed state is compared on.
PERSON_FIELDS = (
    "name", "branch_id", "stage", "cycle", "steps", "due", "applied_on", "activist_since",
    "candidate_since", "admission_vote_on", "admitted_on", "membership_since",
    "probation_ends_on", "formal_since", "extensions", "standing", "lost_contact_since",
    "suspended_on", "party_probation_until", "exit_kind", "exited_on", "transferred_in_on",
    "conversion_postponed_months", "training_days", "training_hours", "conversion_outcome",
)  # fmt: skip


def stored_events(service: str) -> list[StoredEvent]:
    lines = (FIXTURES / f"{service}.jsonl").read_text(encoding="utf-8").splitlines()
    return [
        StoredEvent(
            originator_id=UUID(e["id"]),
            originator_version=e["version"],
            topic=e["topic"],
            state=e["state"].encode("utf-8"),
        )
        for e in map(json.loads, lines)
    ]


def plain(value: Any) -> Any:
    """``value`` as JSON data: value objects by their fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return jsonable(value)


def state_of(aggregate: Any) -> dict[str, Any]:
    """The replayed state compared with the one recorded before the change."""
    name = type(aggregate).__name__
    if name == "Person":
        fields = PERSON_FIELDS
    else:
        fields = tuple(k for k in vars(aggregate) if not k.startswith("_"))
    return {"type": name, "version": aggregate.version} | {
        f: plain(getattr(aggregate, f)) for f in fields
    }


def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        personal_data_key=PERSONAL_DATA_KEY,
        follow_remote_feeds=False,
    )


@pytest.mark.parametrize("service", ["org-registry", "member-lifecycle"])
async def test_an_old_log_loads_to_the_state_it_had(service: str, tmp_path: Path) -> None:
    runtime = definition(service).build_runtime(settings(tmp_path))
    events = stored_events(service)
    runtime.log.recorder.insert_events(events)
    expected = json.loads((FIXTURES / f"{service}.state.json").read_text(encoding="utf-8"))
    streams = sorted({str(e.originator_id) for e in events})
    replayed = {s: state_of(runtime.log.repository.get(UUID(s))) for s in streams}
    assert replayed == expected
    # The feed serves every event in canonical JSON, as followers and auditors read it.
    page = read_page(runtime.log, after=0, limit=len(events) + 1)
    assert [e.stream_version for e in page.events] == [e.originator_version for e in events]
    runtime.log.close()


@pytest.mark.parametrize(
    ("service", "table", "aggregate"),
    [("org-registry", org_nodes, "Organisation"), ("member-lifecycle", people, "Person")],
)
async def test_an_old_log_projects_without_a_dead_letter(
    service: str, table: Any, aggregate: str, tmp_path: Path
) -> None:
    runtime = definition(service).build_runtime(settings(tmp_path))
    events = stored_events(service)
    runtime.log.recorder.insert_events(events)
    head = runtime.log.head()
    await runtime.start(run_consumers=True)
    try:
        await runtime.read_your_writes(head, timeout=60)
        local = [c for c in runtime.followers.values() if c.source.upstream == service]
        for consumer in local:
            await consumer.catch_up(timeout=60)
            assert (consumer.name, consumer.status.dead_letters) == (consumer.name, 0)
        async with runtime.db.engine.connect() as conn:
            rows = (await conn.execute(select(func.count()).select_from(table))).scalar_one()
        streams = {e.originator_id for e in events if e.topic.endswith(f":{aggregate}.Registered")
                   or e.topic.endswith(f":{aggregate}.Established")}  # fmt: skip
        assert rows == len(streams)
    finally:
        await runtime.stop()
