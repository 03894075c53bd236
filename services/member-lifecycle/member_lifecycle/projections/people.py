"""The register of people, masked: what lists and rosters read."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, Index, Integer, MetaData, String, Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent

metadata = MetaData()

people = Table(
    "people",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("gender", String(10), nullable=False),
    Column("ethnicity", String(20), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("resident_id_masked", String(18), nullable=False),
    Column("phone_masked", String(20), nullable=True),
    Column("education", String(50), nullable=True),
    Column("occupation", String(100), nullable=True),
    Column("work_unit", String(200), nullable=True),
    Column("branch_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_people_branch_name", "branch_id", "name", "id"),
)


class PeopleProjection:
    name = "people"
    version = 1
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        if event.type != "Person.Registered":
            return
        p = event.payload
        await conn.execute(
            insert(people).values(
                id=event.stream_id,
                name=p["name"],
                gender=p["gender"],
                ethnicity=p["ethnicity"],
                birth_date=date.fromisoformat(p["birth_date"]),
                resident_id_masked=p["resident_id_masked"],
                phone_masked=p.get("phone_masked"),
                education=p.get("education"),
                occupation=p.get("occupation"),
                work_unit=p.get("work_unit"),
                branch_id=p["branch_id"],
                version=event.stream_version,
            )
        )
