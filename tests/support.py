"""Helpers the tests share (importable because tests/ is on sys.path via conftest)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import httpx
import psycopg
from eventsourcing.domain import Aggregate, event
from psycopg import sql
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.records import FeedEvent
from jiceng.followers.reacting import Changes
from jiceng.policy import default_catalogue
from jiceng.readmodel.database import ReadModelDatabase
from jiceng.runtime import ServiceRuntime
from org_registry.application import OrgRegistry
from org_registry.domain.organisation import Organisation, OrgDomain, OrgType


@dataclass
class Api:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    tokens: TokenService

    def headers(
        self, *roles: Role, org: UUID | None = None, subject: str = "tester", **extra: str
    ) -> dict[str, str]:
        token = self.tokens.mint(subject, list(roles) or [Role.PLATFORM_ADMIN], org)
        return {"Authorization": f"Bearer {token}", **extra}

    async def establish(
        self,
        name: str,
        parent_id: str | None = None,
        org_type: str | None = None,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Establish an organisation (a committee at the root, a branch below, by default)."""
        body = {
            "name": name,
            "org_type": org_type or ("branch" if parent_id else "committee"),
            "domain": "university",
            "parent_id": parent_id,
            **fields,
        }
        response = await self.client.post(
            "/org-registry/v1/organisations", json=body, headers=headers or self.headers()
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


NATIONAL = default_catalogue().policy("national")

#: Today, for services a test builds: handed to their composition root as the clock, so a
#: route's default date ("as of today") is the same on every day the tests run.
TODAY = date(2026, 9, 15)


class FoldProjection:
    """Records every event it applies, so tests can compare the table with a fold of the log.

    ``applied`` has no unique key on purpose: an event applied twice shows up twice.
    """

    name = "fold"
    version = 1

    def __init__(self, fail_on: set[int] | None = None, version: int = 1) -> None:
        self.metadata = MetaData()
        self.version = version
        self.table = Table(
            "applied",
            self.metadata,
            Column("seq", Integer, primary_key=True, autoincrement=True),
            Column("event_id", BigInteger, nullable=False),
            Column("stream_id", String(64), nullable=False),
            Column("event_type", String(200), nullable=False),
        )
        self.fail_on = fail_on or set()
        self.calls = 0

    async def handle(self, conn: AsyncConnection, event: FeedEvent) -> None:
        self.calls += 1
        await conn.execute(
            self.table.insert().values(
                event_id=event.id, stream_id=event.stream_id, event_type=event.type
            )
        )
        if event.id in self.fail_on:
            msg = f"refusing event {event.id}"
            raise ValueError(msg)

    async def applied_ids(self, db: ReadModelDatabase) -> list[int]:
        async with db.engine.connect() as conn:
            rows = await conn.execute(select(self.table.c.event_id).order_by(self.table.c.seq))
            return [int(r[0]) for r in rows]

    async def count(self, db: ReadModelDatabase) -> int:
        async with db.engine.connect() as conn:
            return int(
                (await conn.execute(select(func.count()).select_from(self.table))).scalar_one()
            )


def ids(events: Sequence[FeedEvent]) -> list[int]:
    return [e.id for e in events]


class Tally(Aggregate):
    """A test-only downstream aggregate: which upstream events of one stream it has counted."""

    @staticmethod
    def create_id(upstream_stream: str) -> UUID:
        return uuid5(NAMESPACE_URL, upstream_stream)

    @event("Started")
    def __init__(self, upstream_stream: str) -> None:
        self.upstream_stream = upstream_stream
        self.seen: list[int] = []

    @event("Counted")
    def count(self, upstream_event: int) -> None:
        self.seen.append(upstream_event)


class TallyLog(EventLog):
    name = "Tally"
    aggregate_classes = (Tally,)


def tally_policy(event: FeedEvent, changes: Changes) -> None:
    tally = changes.get(Tally.create_id(event.stream_id))
    if tally is None:
        tally = Tally(upstream_stream=event.stream_id)
        changes.add(tally)
    tally.count(event.id)


def bulk_establish(registry: OrgRegistry, count: int) -> None:
    """Establish ``count`` organisations in one transaction (as a bulk import would)."""
    orgs = [
        Organisation.establish(
            policy=NATIONAL,
            name=f"党委{n:04d}",
            org_type=OrgType.COMMITTEE,
            domain=OrgDomain.RURAL,
            parent=None,
            established_on=None,
        )
        for n in range(count)
    ]
    registry.save(*orgs, meta=EventMeta(actor="jwt:loader", reason="bulk"))


def drop_schemas(url: str, prefix: str) -> None:
    """Drop every PostgreSQL schema whose name starts with ``prefix``."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (prefix + "%",)
        ).fetchall()
        for (name,) in rows:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


async def org_event(
    api: Api, org_id: str, version: int, event_type: str, payload: dict[str, Any]
) -> None:
    """An org-registry event folded into a service's copy of the tree, as its feed brings it."""
    from jiceng.orgtree.projection import OrgTreeProjection

    event = FeedEvent(
        id=version,
        stream_id=org_id,
        stream_version=version,
        type=event_type,
        occurred_at="2026-01-01T00:00:00+00:00",
        actor="jwt:x",
        correlation_id=None,
        causation_id=None,
        reason=None,
        policy_pack=None,
        payload=payload,
    )
    async with api.runtime.db.engine.begin() as conn:
        await OrgTreeProjection().handle(conn, event)


async def copy_of_org(
    api: Api,
    name: str,
    org_type: str = "branch",
    parent: str | None = None,
    domain: str = "university",
) -> str:
    """An organisation as a service's tree copy learns it from org-registry's feed."""
    org_id = str(uuid4())
    payload = {"name": name, "org_type": org_type, "domain": domain, "parent_id": parent}
    await org_event(api, org_id, 1, "Organisation.Established", payload)
    return org_id


async def register_person(api: Api, branch: str, serial: int, born: date = date(1990, 3, 7)) -> str:
    """A person put on member-lifecycle's register over HTTP (odd serial: male)."""
    from path_support import resident_id

    body = {
        "name": f"人员{serial}",
        "gender": "male" if serial % 2 else "female",
        "ethnicity": "汉族",
        "resident_id": resident_id(born, serial),
        "education": "本科",
        "branch_id": branch,
    }
    response = await api.client.post(
        "/member-lifecycle/v1/people", json=body, headers=api.headers()
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def formal_members(api: Api, branch: str, count: int, first: int = 101) -> list[str]:
    """Full members admitted before the system, on the register of ``branch`` over HTTP."""
    members = []
    for n in range(count):
        member = await register_person(api, branch, first + 2 * n)
        response = await api.client.post(
            f"/member-lifecycle/v1/people/{member}/imported-membership",
            json={
                "stage": "formal",
                "admitted_on": "2010-07-01",
                "formal_since": "2011-07-01",
                "source": "党员信息库",
            },
            headers=api.headers(),
        )
        assert response.status_code == 200, response.text
        members.append(member)
    return members


@asynccontextmanager
async def serving(app: Any, settings: Any) -> AsyncIterator[Api]:
    """A service app for one lifetime (start-up to shut-down), driven in-process over ASGI."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, app.state.runtime, TokenService(settings))


def url_as(postgres_url: str, role: str) -> str:
    """The same server and database, as ``role`` (trust authentication, no password)."""
    from sqlalchemy.engine import make_url

    return make_url(postgres_url).set(username=role, password=None).render_as_string()
