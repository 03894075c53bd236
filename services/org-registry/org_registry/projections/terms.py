"""Current terms of office: when each organisation's next election is due, and vacancies."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.eventlog.records import FeedEvent
from jiceng.readmodel.upsert import upsert
from org_registry.domain.structure import add_months

metadata = MetaData()

terms = Table(
    "terms",
    metadata,
    Column("org_id", String(36), primary_key=True),
    Column("held_on", Date, nullable=False),
    Column("years", Integer, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("due_on", Date, nullable=False, index=True),
    Column("postponed_months", Integer, nullable=False),
    Column("seats", JSON, nullable=False),
    Column("has_committee", Boolean, nullable=False),
    Column("leaders_approved_on", Date, nullable=True),
    Column("secretary_vacant_since", Date, nullable=True, index=True),
    Column("vacancies", JSON, nullable=False),
)


class TermsProjection:
    name = "terms"
    version = 1
    metadata = metadata

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        payload, org_id = event.payload, event.stream_id
        if event.type == "Organisation.ElectionRecorded":
            await upsert(
                conn,
                terms,
                {
                    "org_id": org_id,
                    "held_on": date.fromisoformat(payload["held_on"]),
                    "years": payload["years"],
                    "ends_on": date.fromisoformat(payload["ends_on"]),
                    "due_on": date.fromisoformat(payload["ends_on"]),
                    "postponed_months": 0,
                    "seats": payload["seats"],
                    "has_committee": len(payload["seats"]) >= 3,
                    "leaders_approved_on": None,
                    "secretary_vacant_since": None,
                    "vacancies": {},
                },
            )
            return
        row = (await conn.execute(select(terms).where(terms.c.org_id == org_id))).one_or_none()
        if row is None:
            return
        changes: dict[str, object] = {}
        if event.type == "Organisation.LeadersApproved":
            changes["leaders_approved_on"] = date.fromisoformat(payload["approved_on"])
        elif event.type == "Organisation.VacancyOpened":
            office = payload["office"]
            changes["vacancies"] = {**row.vacancies, office: payload["since"]}
            changes["seats"] = [s for s in row.seats if s["office"] != office]
            if office == "secretary":
                changes["secretary_vacant_since"] = date.fromisoformat(payload["since"])
        elif event.type == "Organisation.VacancyFilled":
            seat = payload["seat"]
            changes["vacancies"] = {k: v for k, v in row.vacancies.items() if k != seat["office"]}
            changes["seats"] = [*row.seats, seat]
            if seat["office"] in ("secretary", "deputy_secretary"):
                changes["leaders_approved_on"] = None
            if seat["office"] == "secretary":
                changes["secretary_vacant_since"] = None
        elif event.type == "Organisation.TermPostponed":
            months = row.postponed_months + payload["months"]
            changes["postponed_months"] = months
            changes["due_on"] = add_months(row.ends_on, months)
        if changes:
            await conn.execute(update(terms).where(terms.c.org_id == org_id).values(**changes))
