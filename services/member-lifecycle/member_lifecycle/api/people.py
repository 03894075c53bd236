"""``/member-lifecycle/v1/people``: the register of people, scoped to the caller's subtree.

Personal data is masked unless a writer in scope asks for it whole (``?reveal=true`` with a
``purpose``); each reveal is recorded as a ``Disclosure.Recorded`` event first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from jiceng.api.concurrency import etag
from jiceng.api.deps import (
    WRITERS,
    CurrentPrincipal,
    Runtime,
    event_meta,
    visible_org,
)
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from jiceng.commands import Caller
from jiceng.errors import Forbidden, InvalidInput
from jiceng.personal import sealer_for
from member_lifecycle.api.ages import age, people_page
from member_lifecycle.api.support import Lifecycle, NewRecordCaller, Staff, load_person
from member_lifecycle.commands import people as people_commands
from member_lifecycle.domain.disclosure import DisclosedField
from member_lifecycle.domain.evidence import full_years
from member_lifecycle.domain.person import Gender, Person
from member_lifecycle.projections.people import disclosures

router = APIRouter(tags=["people"], responses=error_responses(*COMMON_ERRORS))


class RegisterPerson(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    gender: Gender
    ethnicity: str = Field(min_length=1, max_length=20, examples=["汉族"])
    resident_id: str = Field(min_length=18, max_length=18, description="居民身份证号码")
    birth_date: Day | None = Field(default=None, description="Checked against the ID number")
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 -]{6,20}$")
    education: str | None = Field(default=None, max_length=50)
    occupation: str | None = Field(default=None, max_length=100)
    work_unit: str | None = Field(default=None, max_length=200)
    branch_id: UUID
    reason: str | None = Field(default=None, max_length=500)


class PersonView(BaseModel):
    """A person on the register. Masked unless revealed: the last two characters of the
    身份证号, the last four digits of the phone, and the age instead of the birth date, so that
    no combination of what is shown gives a sealed value back."""

    id: UUID
    name: str
    gender: Gender
    ethnicity: str
    age: int = Field(description="Full years today (Beijing)")
    birth_date: date | None = Field(description="Only when revealed")
    resident_id: str = Field(description="Masked (last two characters) unless revealed")
    phone: str | None = Field(description="Masked (last four digits) unless revealed")
    education: str | None
    occupation: str | None
    work_unit: str | None
    branch_id: UUID
    version: int


def view(runtime: Runtime, person: Person, *, reveal: bool) -> PersonView:
    sealer = sealer_for(runtime.settings)
    born = person.birth_date(sealer)
    phone = person.phone_masked
    if reveal and person.phone_sealed:
        phone = sealer.open("phone", person.phone_sealed)
    return PersonView(
        id=person.id,
        name=person.name,
        gender=person.gender,
        ethnicity=person.ethnicity,
        age=full_years(born, runtime.clock()),
        birth_date=born if reveal else None,
        resident_id=sealer.open("resident_id", person.resident_id_sealed)
        if reveal
        else person.resident_id_masked,
        phone=phone,
        education=person.education,
        occupation=person.occupation,
        work_unit=person.work_unit,
        branch_id=person.branch_id,
        version=person.version,
    )


@router.post(
    "/people",
    name="register_person",
    status_code=status.HTTP_201_CREATED,
    summary="Put a person on the register (身份证号 checked, sealed at rest)",
    response_model=PersonView,
    responses=error_responses(404, 409),
)
async def register_person(
    body: RegisterPerson, response: Response, caller: NewRecordCaller, handlers: Lifecycle
) -> PersonView:
    command = people_commands.RegisterPerson(**body.model_dump(exclude={"reason"}))
    person = await handlers.register_person(command, caller.because(body.reason))
    response.headers["Location"] = f"/{handlers.runtime.name}/v1/people/{person.id}"
    response.headers["ETag"] = etag(person.version)
    return view(handlers.runtime, person, reveal=False)


@router.get(
    "/people/{person_id}",
    name="get_person",
    summary="A person's record",
    response_model=PersonView,
    responses=error_responses(404),
)
async def get_person(
    person_id: UUID,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: CurrentPrincipal,
    handlers: Lifecycle,
    reveal: Annotated[
        bool,
        Query(description="Whole personal data (writers in scope); recorded as a disclosure"),
    ] = False,
    purpose: Annotated[
        str | None,
        Query(max_length=500, description="Why the whole data is needed (required to reveal)"),
    ] = None,
) -> PersonView:
    person = await load_person(runtime, principal, person_id)
    if reveal:
        if not principal.has_any(*WRITERS):
            raise Forbidden("auth.forbidden_role", required=", ".join(r.value for r in WRITERS))
        if purpose is None or not purpose.strip():
            raise InvalidInput("personal.purpose_required")
        # The purpose is the disclosure's reason: the event says why the data was seen.
        caller = Caller(principal, event_meta(request, principal, purpose.strip()))
        await handlers.record_disclosure(
            people_commands.RecordDisclosure(person.id, bool(person.phone_sealed), purpose),
            caller,
        )
    response.headers["ETag"] = etag(person.version)
    return view(runtime, person, reveal=reveal)


@router.get(
    "/orgs/{org_id}/people",
    name="list_people",
    summary="People whose record is kept in the subtree, by name (masked, paged)",
    response_model=Page[PersonView],
    responses=error_responses(404),
)
async def list_people(
    org_id: UUID,
    runtime: Runtime,
    principal: Staff,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[PersonView]:
    root = await visible_org(runtime, principal, org_id)
    rows = await people_page(runtime.db, root, after=decode_cursor(cursor, (str, str)), limit=limit)
    on, sealer = runtime.clock(), sealer_for(runtime.settings)
    views = [
        PersonView(
            id=r.id,
            name=r.name,
            gender=r.gender,
            ethnicity=r.ethnicity,
            age=age(sealer, r, on),
            birth_date=None,
            resident_id=r.resident_id_masked,
            phone=r.phone_masked,
            education=r.education,
            occupation=r.occupation,
            work_unit=r.work_unit,
            branch_id=r.branch_id,
            version=r.version,
        )
        for r in rows
    ]
    return keyset_page(views, limit, lambda v: [v.name, str(v.id)])


class DisclosureView(BaseModel):
    id: UUID
    person_id: UUID
    fields: list[DisclosedField]
    purpose: str
    actor: str
    at: datetime


@router.get(
    "/people/{person_id}/disclosures",
    name="list_disclosures",
    summary="Who saw this person's whole personal data, when and why (newest first, paged)",
    response_model=Page[DisclosureView],
    responses=error_responses(404),
)
async def list_disclosures(
    person_id: UUID,
    runtime: Runtime,
    principal: CurrentPrincipal,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Page[DisclosureView]:
    await load_person(runtime, principal, person_id)
    query = (
        select(disclosures)
        .where(disclosures.c.person_id == str(person_id))
        .order_by(disclosures.c.at.desc(), disclosures.c.id.desc())
        .limit(limit + 1)
    )
    after = decode_cursor(cursor, (datetime, str))
    if after is not None:
        at, last = after
        query = query.where(
            (disclosures.c.at < at) | ((disclosures.c.at == at) & (disclosures.c.id < last))
        )
    async with runtime.db.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    views = [
        DisclosureView(
            id=r.id,
            person_id=r.person_id,
            fields=[DisclosedField(f) for f in r.fields.split(",") if f],
            purpose=r.purpose,
            actor=r.actor,
            at=r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC),
        )
        for r in rows
    ]
    return keyset_page(views, limit, lambda v: [v.at.isoformat(), str(v.id)])
