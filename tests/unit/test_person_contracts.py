"""The person events member-lifecycle really writes match the contract its readers use.

Every kind of person event is written by the aggregates (no hand-made payloads), read back
from the feed, and checked against the typed payloads in ``member_lifecycle.contracts``:
every key it holds is declared, and every declared key has its type. The counts the counting
reaction publishes from them parse as ``jiceng.membercounts`` reads them.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import TypeAdapter

from jiceng.eventlog import EventMeta, Storage
from jiceng.eventlog.records import FeedEvent, read_page
from jiceng.followers.reacting import Changes
from member_lifecycle import contracts
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain import changes as domain_changes
from member_lifecycle.domain.changes import RowOrigin
from member_lifecycle.domain.evidence import Vote
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import ExitKind, NoticePoint, Stage, Step
from member_lifecycle.domain.step_input import Disposal
from member_lifecycle.reactions import count_people
from path_support import APPROVER, SEALER, given_for, person, rules, walk

META = EventMeta(actor="jwt:clerk")
OTHER = uuid.UUID(int=77)
ORIGIN: RowOrigin = {"file": "名册.xlsx", "sheet": "人员", "row": 7, "sha256": "0" * 64}


def everything(app: MemberLifecycle) -> None:
    """A person's whole path and every membership action, as the aggregates record them."""
    r = rules()
    member = walk(person())  # 25 steps: 正式党员 since 2026-04-01
    member.send_transfer(OTHER, "乙支部", date(2026, 6, 1), "L1", r)
    member.return_transfer(date(2026, 6, 5), "材料不全", r)
    member.send_transfer(OTHER, None, date(2026, 6, 10), "L2", r)
    member.accept_transfer(date(2026, 6, 20), r)
    member.register_outflow(date(2026, 7, 1), "深圳", "LD-001", r)
    member.record_outflow_contact(date(2026, 8, 1), r)
    member.end_outflow(date(2026, 9, 1), r)
    member.report_lost_contact(date(2026, 9, 2), r)
    member.restore(date(2026, 9, 10), r)
    member.order_rectification(date(2026, 9, 11), date(2026, 10, 11), r)
    member.conclude_rectification(date(2026, 10, 12), False, r)
    member.record_party_probation(date(2026, 10, 13), date(2027, 10, 13), "纪发〔2026〕1号", r)
    member.move_by_merger(uuid.UUID(int=78), date(2026, 10, 14))
    member.leave(ExitKind.REMOVED, Disposal(date(2026, 11, 1), vote(), APPROVER), r)

    noticed = walk(person(serial=3), until=Step.ACTIVIST_DESIGNATION)
    noticed.hold_notice(NoticePoint.ACTIVIST, date(2026, 10, 8), 5, r)
    noticed.receive_objection(NoticePoint.ACTIVIST, date(2026, 10, 9), "群众反映")
    noticed.conclude_objection(NoticePoint.ACTIVIST, date(2026, 10, 10), False, "不属实")

    imported = person(serial=5)
    imported.import_membership(Stage.PROBATIONARY, date(2026, 3, 1), None, "库", r, ORIGIN)
    imported.revise_profile(sealer=SEALER, source=None, name="李四", phone="13812345678")
    imported.send_transfer(OTHER, "乙", date(2026, 4, 1), "L3", r)
    imported.accept_transfer(date(2026, 4, 2), r)
    imported.postpone_conversion(date(2026, 5, 1), 3, "转入不久", r)

    applicant = person(serial=7)
    applicant.take_step(Step.APPLICATION, given_for(Step.APPLICATION), r, ORIGIN)
    app.save(member, noticed, imported, applicant, meta=META)


def vote() -> Vote:
    # A stated 应到 other than the register's: the evidence then carries what auditors read.
    return Vote(
        entitled=16, present=9, in_favour=9, register_entitled=17, entitled_reason="一人病故"
    )


def events(app: MemberLifecycle) -> list[FeedEvent]:
    return read_page(app, after=0, limit=10_000).events


def count(app: MemberLifecycle) -> None:
    """Run the counting reaction over the log, as its follower does."""
    for event in events(app):
        changes = Changes(app)
        count_people(event, changes)
        if changes.aggregates:
            app.save(*changes.aggregates, meta=META)


CONTRACTS: dict[str, Any] = {
    contracts.REGISTERED: contracts.PersonRegistered,
    contracts.PROFILE_REVISED: contracts.ProfileRevised,
    **dict.fromkeys(contracts.PERSON_RECORDED, contracts.PersonRecorded),
}


def declared(contract: Any) -> frozenset[str]:
    keys: frozenset[str] = contract.__required_keys__ | contract.__optional_keys__
    return keys


@pytest.fixture(scope="module")
def written() -> list[FeedEvent]:
    app = MemberLifecycle(Storage.memory("member-lifecycle"))
    everything(app)
    count(app)
    return events(app)


def test_every_published_event_matches_its_contract(written: list[FeedEvent]) -> None:
    seen = set()
    for event in written:
        contract = CONTRACTS.get(event.type)
        if contract is None:
            continue
        seen.add(event.type)
        TypeAdapter(contract).validate_python(event.payload, strict=True)
        assert set(event.payload) <= declared(contract), event.type
        if contract is contracts.PersonRecorded:
            changes = event.payload["changes"]
            assert set(changes) <= declared(contracts.PersonChanges), event.type
    assert seen == set(CONTRACTS)


def test_the_counts_of_people_parse_as_the_copies_read_them(written: list[FeedEvent]) -> None:
    counted = [
        contracts.MembersCounted.parse(e.payload)
        for e in written
        if e.type == contracts.MEMBERS_COUNTED
    ]
    assert counted and any(c.joined for c in counted) and any(c.left for c in counted)


def test_the_vote_and_where_the_person_was_are_in_the_evidence(written: list[FeedEvent]) -> None:
    recorded = [
        contracts.person_recorded(e) for e in written if e.type in contracts.PERSON_RECORDED
    ]
    votes = [r["evidence"]["vote"] for r in recorded if "vote" in r["evidence"]]
    assert any(v["entitled_differs"] for v in votes)  # the removal's vote
    moved = [r for r in recorded if "stage" in r["changes"] or "branch_id" in r["changes"]]
    assert moved and all("before" in r["evidence"] for r in moved)


def test_the_contract_names_every_attribute_an_event_may_change() -> None:
    assert declared(contracts.PersonChanges) == domain_changes.PERSON_FIELDS


def test_a_reader_of_the_wrong_event_is_told(written: list[FeedEvent]) -> None:
    registered = next(e for e in written if e.type == contracts.REGISTERED)
    with pytest.raises(ValueError, match="a person's recorded event"):
        contracts.person_recorded(registered)


def test_the_person_recorded_is_the_person_loaded(written: list[FeedEvent]) -> None:
    """The typed payloads are what the aggregate replays: the stages agree."""
    app = MemberLifecycle(Storage.memory("member-lifecycle"))
    everything(app)
    final: dict[str, str] = {}
    for event in events(app):
        if event.type in contracts.PERSON_RECORDED:
            stage = contracts.person_recorded(event)["changes"].get("stage")
            if stage is not None:
                final[event.stream_id] = stage
    for stream, stage in final.items():
        loaded: Person = app.person(uuid.UUID(stream))
        assert loaded.stage == stage
