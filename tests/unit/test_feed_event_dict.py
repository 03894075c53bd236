"""The feed's JSON object of an event is exactly its fields (the audit chain hashes it)."""

from __future__ import annotations

import dataclasses

from jiceng.eventlog.records import FeedEvent


def _event(traceparent: str | None) -> FeedEvent:
    return FeedEvent(
        id=7,
        stream_id="8a1f0f3c-9a5e-4a53-9d5b-3a1f2e4b5c6d",
        stream_version=2,
        type="Organisation.Renamed",
        occurred_at="2026-11-27T08:00:00+00:00",
        actor="jwt:tester",
        correlation_id="c",
        causation_id=None,
        reason="更名",
        policy_pack="national-2014",
        payload={"name": "新名称", "nested": {"list": [1, {"deep": True}]}},
        traceparent=traceparent,
    )


def test_as_dict_holds_every_field_as_asdict_did() -> None:
    traced = _event("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    assert traced.as_dict() == dataclasses.asdict(traced)
    untraced = _event(None)
    expected = dataclasses.asdict(untraced)
    del expected["traceparent"]
    assert untraced.as_dict() == expected
