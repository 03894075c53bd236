"""Host units and how they are covered, for coverage reports."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.readmodel.upsert import touch, upsert

metadata = MetaData()

host_units = Table(
    "host_units",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("credit_code", String(18), nullable=False, unique=True),
    Column("unit_type", String(40), nullable=False),
    Column("employees", Integer, nullable=False),
    Column("region_code", String(12), nullable=False, index=True),
    Column("managing_org_id", String(36), nullable=False, index=True),
    Column("coverage", String(20), nullable=False),
    Column("covering_org_id", String(36), nullable=True),
    Column("instructor", String(100), nullable=True),
    Column("formal_members", Integer, nullable=False),
    Column("members", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)


class HostUnitsProjection:
    name = "host_units"
    version = 1
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        payload = event.payload
        if event.type == "HostUnit.Registered":
            await upsert(
                conn,
                host_units,
                {
                    "id": event.stream_id,
                    "name": payload["name"],
                    "credit_code": payload["credit_code"],
                    "unit_type": payload["unit_type"],
                    "employees": payload["employees"],
                    "region_code": payload["region_code"],
                    "managing_org_id": payload["managing_org_id"],
                    "coverage": "none",
                    "covering_org_id": None,
                    "instructor": None,
                    "formal_members": 0,
                    "members": 0,
                    "version": event.stream_version,
                },
            )
            return
        changes: dict[str, object] = {}
        if event.type == "HostUnit.MembersRecorded":
            changes = {"formal_members": payload["formal"], "members": payload["total"]}
        elif event.type == "HostUnit.Covered":
            changes = {
                "coverage": payload["coverage"],
                "covering_org_id": payload["org_id"],
                "instructor": payload["instructor"],
            }
        if event.type.startswith("HostUnit."):
            await touch(conn, host_units, event.stream_id, event.stream_version, **changes)
