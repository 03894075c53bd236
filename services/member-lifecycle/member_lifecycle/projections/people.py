"""The register of people, masked, with where each stands: what rosters, the pipeline and
the to-do list read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.ids import resident_id_birth_date
from jiceng.personal import PersonalDataSealer
from member_lifecycle import contracts
from member_lifecycle.domain.person import shorten_masks

metadata = MetaData()

people = Table(
    "people",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("gender", String(10), nullable=False),
    Column("ethnicity", String(20), nullable=False),
    # No birth date: the sealed number (for ages shown and age filters decided exactly) and
    # the month of birth (for narrowing those filters in SQL).
    Column("born_month", Date, nullable=False),
    Column("resident_id_sealed", String(200), nullable=False),
    Column("resident_id_masked", String(18), nullable=False),
    Column("phone_masked", String(20), nullable=True),
    Column("education", String(50), nullable=True),
    Column("occupation", String(100), nullable=True),
    Column("work_unit", String(200), nullable=True),
    Column("branch_id", String(36), nullable=False),
    Column("stage", String(20), nullable=False, server_default="registered"),
    Column("last_step", String(40), nullable=True),
    Column("last_step_on", Date, nullable=True),
    Column("applied_on", Date, nullable=True),
    Column("activist_since", Date, nullable=True),
    Column("candidate_since", Date, nullable=True),
    Column("admitted_on", Date, nullable=True),
    Column("probation_ends_on", Date, nullable=True),
    Column("formal_since", Date, nullable=True),
    Column("standing", String(20), nullable=False, server_default="good"),
    Column("transfer_to", String(36), nullable=True),
    Column("outflow_destination", String(200), nullable=True),
    Column("exit_kind", String(30), nullable=True),
    Column("exited_on", Date, nullable=True),
    Column("party_probation_until", Date, nullable=True),
    Column("version", Integer, nullable=False),
    Index("ix_people_branch_name", "branch_id", "name", "id"),
    Index("ix_people_stage", "stage"),
    Index("ix_people_born_month", "born_month"),
)

#: A person's deadlines (tracked, never blocking): one row per kind.
deadlines = Table(
    "person_deadlines",
    metadata,
    Column("person_id", String(36), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("due_on", Date, nullable=False),
    Index("ix_person_deadlines_due", "due_on"),
)

#: Who saw a person's whole personal data (个人信息查阅记录), for the person and for staff.
disclosures = Table(
    "personal_data_disclosures",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("person_id", String(36), nullable=False),
    Column("fields", String(100), nullable=False),
    Column("purpose", String(500), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_disclosures_person_at", "person_id", "at", "id"),
)

#: Votes whose 应到 differs from the register's voting roll, for auditors (one per event).
vote_discrepancies = Table(
    "vote_discrepancies",
    metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=False),
    Column("person_id", String(36), nullable=False),
    Column("branch_id", String(36), nullable=False),
    Column("action", String(40), nullable=False),
    Column("voted_on", Date, nullable=False),
    Column("stated", Integer, nullable=False),
    Column("register_entitled", Integer, nullable=False),
    Column("reason", String(1000), nullable=True),
    Column("actor", String(200), nullable=True),
    Index("ix_vote_discrepancies_branch", "branch_id", "voted_on", "event_id"),
)

plans = Table(
    "development_plans",
    metadata,
    Column("org_id", String(36), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("quota", Integer, nullable=False),
    Column("stream_id", String(36), nullable=False, unique=True),
)

DATES = (
    "applied_on",
    "activist_since",
    "candidate_since",
    "admitted_on",
    "probation_ends_on",
    "formal_since",
    "exited_on",
    "party_probation_until",
)
TEXTS = ("stage", "standing", "exit_kind", "branch_id")
#: What a profile correction may change in this table (the sealed phone is not kept here).
PROFILE_COLUMNS = ("name", "ethnicity", "phone_masked", "education", "occupation", "work_unit")


def _columns(changes: contracts.PersonChanges) -> dict[str, Any]:
    """The columns an event's ``changes`` set (the dates and texts are copied as they are)."""
    # The date and text columns are read by name: each is an ISO date (or None), or a str.
    named: Mapping[str, object] = changes
    values: dict[str, Any] = {}
    for key in DATES:
        if key in named:
            day = named[key]
            values[key] = date.fromisoformat(day) if isinstance(day, str) and day else None
    for key in TEXTS:
        if key in named:
            values[key] = named[key]
    if "transfer" in changes:
        transfer = changes["transfer"]
        values["transfer_to"] = transfer["to_id"] if transfer else None
    if "outflow" in changes:
        outflow = changes["outflow"]
        values["outflow_destination"] = outflow["destination"] if outflow else None
    return values


class PeopleProjection:
    """The register, masked, with no birth date: the sealed 身份证号 (which only this service
    can open) and the month of birth stand for it. Masks written by older events, longer, fold
    into the same short ones (as the aggregate's upcaster does)."""

    name = "people"
    version = 6
    metadata = metadata

    def __init__(self, sealer: PersonalDataSealer) -> None:
        self.sealer = sealer

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        if event.type == contracts.REGISTERED:
            await self._registered(conn, event)
        elif event.type == contracts.PROFILE_REVISED:
            revision = contracts.profile_revised(event)
            fields: Mapping[str, object] = revision
            revised = {f: fields[f] for f in PROFILE_COLUMNS if fields.get(f) is not None}
            await conn.execute(
                update(people)
                .where(people.c.id == event.stream_id)
                .values(version=event.stream_version, **revised)
            )
        elif event.type in contracts.PERSON_RECORDED:
            await self._recorded(conn, event, contracts.person_recorded(event))
        elif event.type in ("DevelopmentPlan.Set", "DevelopmentPlan.Revised"):
            await self._plan(conn, event)
        elif event.type == "Disclosure.Recorded":
            p = event.payload
            await conn.execute(
                insert(disclosures).values(
                    id=event.stream_id,
                    person_id=p["person_id"],
                    fields=",".join(p["fields"]),
                    purpose=p["purpose"],
                    actor=event.actor or "",
                    at=event.occurred_at_datetime(),
                )
            )

    async def _registered(self, conn: AsyncConnection, event: FeedEvent) -> None:
        p = contracts.person_registered(event)
        number = self.sealer.open("resident_id", p["resident_id_sealed"])
        masks = {k: p.get(k) for k in ("resident_id_masked", "phone_masked")}
        shorten_masks(masks)
        await conn.execute(
            insert(people).values(
                id=event.stream_id,
                name=p["name"],
                gender=p["gender"],
                ethnicity=p["ethnicity"],
                born_month=resident_id_birth_date(number).replace(day=1),
                resident_id_sealed=p["resident_id_sealed"],
                resident_id_masked=masks["resident_id_masked"],
                phone_masked=masks["phone_masked"],
                education=p.get("education"),
                occupation=p.get("occupation"),
                work_unit=p.get("work_unit"),
                branch_id=p["branch_id"],
                stage="registered",
                standing="good",
                version=event.stream_version,
            )
        )

    async def _recorded(
        self, conn: AsyncConnection, event: FeedEvent, p: contracts.PersonRecorded
    ) -> None:
        values = _columns(p["changes"])
        if "step" in p:
            values.update(last_step=p["step"], last_step_on=date.fromisoformat(p["on"]))
        await conn.execute(
            update(people)
            .where(people.c.id == event.stream_id)
            .values(version=event.stream_version, **values)
        )
        if "due" in p["changes"]:
            await self._deadlines(conn, event.stream_id, p["changes"]["due"])
        vote = p["evidence"].get("vote")
        if vote and vote.get("entitled_differs"):
            await self._discrepancy(conn, event, p, vote)

    async def _discrepancy(
        self,
        conn: AsyncConnection,
        event: FeedEvent,
        p: contracts.PersonRecorded,
        vote: contracts.Vote,
    ) -> None:
        """The vote took another 应到 than the register's: flag it where auditors look."""
        branch = await conn.scalar(select(people.c.branch_id).where(people.c.id == event.stream_id))
        await conn.execute(
            insert(vote_discrepancies).values(
                event_id=event.id,
                person_id=event.stream_id,
                branch_id=branch or "",
                action=p.get("step") or p.get("kind") or p.get("action") or "",
                voted_on=date.fromisoformat(p["on"]),
                stated=vote["entitled"],
                register_entitled=vote["register_entitled"],
                reason=vote.get("entitled_reason"),
                actor=event.actor,
            )
        )

    async def _deadlines(self, conn: AsyncConnection, person: str, due: dict[str, str]) -> None:
        await conn.execute(delete(deadlines).where(deadlines.c.person_id == person))
        if due:
            await conn.execute(
                insert(deadlines),
                [
                    {"person_id": person, "kind": kind, "due_on": date.fromisoformat(day)}
                    for kind, day in due.items()
                ],
            )

    async def _plan(self, conn: AsyncConnection, event: FeedEvent) -> None:
        p = event.payload
        if event.type == "DevelopmentPlan.Set":
            await conn.execute(
                insert(plans).values(
                    org_id=p["org_id"], year=p["year"], quota=p["quota"], stream_id=event.stream_id
                )
            )
            return
        # A revision names only the quota: find the plan by the stream it revises.
        await conn.execute(
            update(plans).where(plans.c.stream_id == event.stream_id).values(quota=p["quota"])
        )
