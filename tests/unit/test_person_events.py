"""What the event store holds of a person: sealed values and short masks, no birth date; and a
registration written before the masks were shortened still loads, with the short ones."""

from __future__ import annotations

import json
from datetime import date

import gb11643
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.records import decode_state
from jiceng.eventlog.storage import Storage
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain.person import Gender, Person
from path_support import BRANCH, SEALER, person

NUMBER = gb11643.resident_id(date(1990, 3, 7), 1)
META = EventMeta(actor="jwt:tester")


def stored_states(app: MemberLifecycle) -> list[dict[str, object]]:
    notifications = app.recorder.select_notifications(start=0, limit=100)
    return [decode_state(app.mapper, n.state) for n in notifications]


def test_the_stored_registration_holds_no_birth_date_and_no_readable_number() -> None:
    app = MemberLifecycle(Storage.memory("member-lifecycle"))
    registered = Person.register(
        sealer=SEALER,
        today=date(2026, 11, 27),
        name="张三",
        gender=Gender.MALE,
        ethnicity="汉族",
        resident_id=NUMBER,
        branch_id=BRANCH,
        phone="13812345678",
    )
    app.save(registered, meta=META)
    [state] = stored_states(app)
    text = json.dumps(state, ensure_ascii=False, default=str)
    assert "birth_date" not in state
    for secret in (NUMBER[:16], "19900307", "1990-03-07", "13812345678", "1381234"):
        assert secret not in text, secret
    assert (state["resident_id_masked"], state["phone_masked"]) == (
        "*" * 16 + NUMBER[-2:],
        "*******5678",
    )
    loaded = app.person(registered.id)
    assert loaded.birth_date(SEALER) == date(1990, 3, 7)


def test_a_registration_in_the_first_shape_loads_with_short_masks() -> None:
    """Version 1 carried the birth date and masks keeping the region and seven phone digits."""
    app = MemberLifecycle(Storage.memory("member-lifecycle"))
    current = person()
    [event] = current.collect_events()
    stored = app.mapper.to_stored_event(_attributed(event))
    state = json.loads(decode_stored(app, stored.state))
    state.pop("class_version", None)
    state.update(
        birth_date={"_type_": "date_iso", "_data_": "1990-03-07"},
        resident_id_masked=NUMBER[:6] + "********" + NUMBER[-4:],
        phone_masked="138****5678",
    )
    app.recorder.insert_events([_with_state(stored, json.dumps(state).encode())])
    loaded = app.person(current.id)
    assert loaded.resident_id_masked == "*" * 16 + NUMBER[-2:]
    assert loaded.phone_masked == "*******5678"
    assert not hasattr(loaded, "birth_date_plain") and "birth_date" not in vars(loaded)
    assert loaded.birth_date(SEALER) == date(1990, 3, 7)


def _attributed(event: object) -> object:
    object.__setattr__(event, "meta", META.as_dict())
    return event


def decode_stored(app: MemberLifecycle, state: bytes) -> str:
    return json.dumps(decode_state(app.mapper, state), default=str)


def _with_state(stored, state):  # type: ignore[no-untyped-def]
    from eventsourcing.persistence import StoredEvent

    return StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=state,
    )


def test_a_registration_written_before_imports_named_their_source_loads() -> None:
    """Version 2 (before spreadsheet imports) had no ``source``: it loads as not imported."""
    app = MemberLifecycle(Storage.memory("member-lifecycle"))
    current = person()
    [event] = current.collect_events()
    stored = app.mapper.to_stored_event(_attributed(event))
    state = json.loads(decode_stored(app, stored.state))
    del state["source"]
    state["class_version"] = 2
    app.recorder.insert_events([_with_state(stored, json.dumps(state).encode())])
    [replayed] = app.repository.event_store.get(current.id)
    assert replayed.source is None  # type: ignore[attr-defined]
    assert app.person(current.id).resident_id_masked == "*" * 16 + NUMBER[-2:]


def test_a_path_event_sets_only_the_attributes_it_may_change() -> None:
    """Replaying ``changes`` sets what ``PersonChanges`` declares, never the identity or the
    sealed data, whatever a payload holds."""
    from member_lifecycle.domain.changes import apply_changes

    p = person()
    sealed = p.resident_id_sealed
    apply_changes(p, {"stage": "applicant", "name": "李四", "resident_id_sealed": "x"})  # type: ignore[typeddict-unknown-key]
    assert (p.stage, p.name, p.resident_id_sealed) == ("applicant", "张三", sealed)
