"""``/member-lifecycle/v1/people``: the register of people, scoped to the caller's subtree.

Personal data is masked unless a writer in scope asks for it whole (``?reveal=true``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import anyio
from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field

from jiceng.api.concurrency import etag
from jiceng.api.deps import WRITERS, CurrentPrincipal, Runtime, Writer, event_meta, visible_org
from jiceng.api.pagination import CursorParam, LimitParam, Page, decode_cursor, keyset_page
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.errors import Forbidden
from jiceng.orgtree.paging import rows_in_subtree
from jiceng.personal import sealer_for
from member_lifecycle.api.support import Staff, lifecycle, load_person
from member_lifecycle.domain.person import Gender, Person
from member_lifecycle.projections.people import people

router = APIRouter(tags=["people"], responses=error_responses(*COMMON_ERRORS))


class RegisterPerson(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    gender: Gender
    ethnicity: str = Field(min_length=1, max_length=20, examples=["汉族"])
    resident_id: str = Field(min_length=18, max_length=18, description="居民身份证号码")
    birth_date: date | None = Field(default=None, description="Checked against the ID number")
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 -]{6,20}$")
    education: str | None = Field(default=None, max_length=50)
    occupation: str | None = Field(default=None, max_length=100)
    work_unit: str | None = Field(default=None, max_length=200)
    branch_id: UUID
    reason: str | None = Field(default=None, max_length=500)


class PersonView(BaseModel):
    id: UUID
    name: str
    gender: Gender
    ethnicity: str
    birth_date: date
    resident_id: str = Field(description="Masked unless revealed")
    phone: str | None
    education: str | None
    occupation: str | None
    work_unit: str | None
    branch_id: UUID
    version: int


def view(runtime: Runtime, person: Person, *, reveal: bool) -> PersonView:
    sealer = sealer_for(runtime.settings)
    phone = person.phone_masked
    if reveal and person.phone_sealed:
        phone = sealer.open("phone", person.phone_sealed)
    return PersonView(
        id=person.id,
        name=person.name,
        gender=person.gender,
        ethnicity=person.ethnicity,
        birth_date=person.birth_date,
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
    body: RegisterPerson,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
) -> PersonView:
    await visible_org(runtime, principal, body.branch_id)
    person = Person.register(
        sealer=sealer_for(runtime.settings),
        name=body.name,
        gender=body.gender,
        ethnicity=body.ethnicity,
        resident_id=body.resident_id,
        birth_date=body.birth_date,
        phone=body.phone,
        education=body.education,
        occupation=body.occupation,
        work_unit=body.work_unit,
        branch_id=body.branch_id,
    )
    meta = event_meta(request, principal, body.reason)
    person, position = await anyio.to_thread.run_sync(
        lambda: lifecycle(runtime).register_person(person, meta=meta)
    )
    await runtime.read_your_writes(position)
    response.headers["Location"] = f"/{runtime.name}/v1/people/{person.id}"
    response.headers["ETag"] = etag(person.version)
    return view(runtime, person, reveal=False)


@router.get(
    "/people/{person_id}",
    name="get_person",
    summary="A person's record",
    response_model=PersonView,
    responses=error_responses(404),
)
async def get_person(
    person_id: UUID,
    response: Response,
    runtime: Runtime,
    principal: CurrentPrincipal,
    reveal: Annotated[bool, Query(description="Whole personal data (writers in scope)")] = False,
) -> PersonView:
    person = await load_person(runtime, principal, person_id)
    if reveal and not principal.has_any(*WRITERS):
        raise Forbidden("auth.forbidden_role", required=", ".join(r.value for r in WRITERS))
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
    rows = await rows_in_subtree(
        runtime.db, people, people.c.branch_id, root, after=decode_cursor(cursor), limit=limit
    )
    views = [
        PersonView(
            id=r.id,
            name=r.name,
            gender=r.gender,
            ethnicity=r.ethnicity,
            birth_date=r.birth_date,
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
