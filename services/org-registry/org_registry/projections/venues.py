"""Venues (阵地) with their checklist, area and latest rating."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Column, Date, Integer, MetaData, Numeric, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.readmodel.upsert import touch, upsert

metadata = MetaData()

venues = Table(
    "venues",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("org_id", String(36), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("area_m2", Numeric(12, 2), nullable=False),
    Column("households_served", Integer, nullable=False),
    Column("checklist", JSON, nullable=False),
    Column("grade", String(20), nullable=True),
    Column("rated_on", Date, nullable=True),
    Column("version", Integer, nullable=False),
)


class VenuesProjection:
    name = "venues"
    version = 1
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        payload = event.payload
        if event.type == "Venue.Registered":
            await upsert(
                conn,
                venues,
                {
                    "id": event.stream_id,
                    "org_id": payload["org_id"],
                    "name": payload["name"],
                    "area_m2": Decimal(payload["area_m2"]),
                    "households_served": payload["households_served"],
                    "checklist": payload["checklist"],
                    "grade": None,
                    "rated_on": None,
                    "version": event.stream_version,
                },
            )
            return
        changes: dict[str, object] = {}
        if event.type == "Venue.Updated":
            changes = {
                "area_m2": Decimal(payload["area_m2"]),
                "households_served": payload["households_served"],
                "checklist": payload["checklist"],
            }
        elif event.type == "Venue.Rated":
            changes = {
                "grade": payload["grade"],
                "rated_on": date.fromisoformat(payload["inspected_on"]),
            }
        if event.type.startswith("Venue."):
            await touch(conn, venues, event.stream_id, event.stream_version, **changes)
