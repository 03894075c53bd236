"""The register of people: 身份证号 checked, sealed on the log and the feed, masked in lists."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import gb11643
from jiceng.auth.principal import Role
from support import Api, copy_of_org

V1 = "/member-lifecycle/v1"


def resident_id() -> str:
    return gb11643.resident_id(date(1990, 3, 7), 1)


async def branch(api: Api, name: str = "第一党支部", parent: str | None = None) -> str:
    return await copy_of_org(api, name, "branch", parent)


def person_body(branch_id: str, **changes: object) -> dict[str, object]:
    return {
        "name": "张三",
        "gender": "male",
        "ethnicity": "汉族",
        "resident_id": resident_id(),
        "phone": "13812345678",
        "education": "本科",
        "branch_id": branch_id,
        **changes,
    }


async def test_register_read_masked_and_reveal(lifecycle_api: Api) -> None:
    branch_id = await branch(lifecycle_api)
    created = await lifecycle_api.client.post(
        f"{V1}/people", json=person_body(branch_id), headers=lifecycle_api.headers()
    )
    assert created.status_code == 201, created.text
    person = created.json()
    assert (person["resident_id"], person["phone"], person["birth_date"]) == (
        "****************" + resident_id()[-2:],
        "*******5678",
        None,
    )
    assert person["age"] >= 36
    path = f"{V1}/people/{person['id']}"
    masked = await lifecycle_api.client.get(path, headers=lifecycle_api.headers(Role.AUDITOR))
    assert masked.json()["resident_id"].count("*") == 16
    forbidden = await lifecycle_api.client.get(
        path, params={"reveal": "true"}, headers=lifecycle_api.headers(Role.AUDITOR)
    )
    assert forbidden.status_code == 403
    no_purpose = await lifecycle_api.client.get(
        path, params={"reveal": "true"}, headers=lifecycle_api.headers()
    )
    assert (no_purpose.status_code, no_purpose.json()["code"]) == (
        422,
        "personal.purpose_required",
    )
    whole = await lifecycle_api.client.get(
        path, params={"reveal": "true", "purpose": "核对档案"}, headers=lifecycle_api.headers()
    )
    assert (whole.json()["resident_id"], whole.json()["phone"], whole.json()["birth_date"]) == (
        resident_id(),
        "13812345678",
        "1990-03-07",
    )
    # The reveal is on the record: who, whose data, which fields, why.
    seen = (
        await lifecycle_api.client.get(f"{path}/disclosures", headers=lifecycle_api.headers())
    ).json()["items"]
    assert [(d["purpose"], d["actor"], d["fields"]) for d in seen] == [
        ("核对档案", "jwt:tester", ["birth_date", "phone", "resident_id"])
    ]
    # ...and the person sees it too.
    own = lifecycle_api.headers(Role.MEMBER, subject=person["id"])
    mine = await lifecycle_api.client.get(f"{path}/disclosures", headers=own)
    assert [d["purpose"] for d in mine.json()["items"]] == ["核对档案"]

    listed = (
        await lifecycle_api.client.get(
            f"{V1}/orgs/{branch_id}/people", headers=lifecycle_api.headers()
        )
    ).json()
    assert [(p["name"], p["phone"]) for p in listed["items"]] == [("张三", "*******5678")]

    feed = (
        await lifecycle_api.client.get(
            f"{V1}/events",
            params={"types": "Person.Registered"},
            headers=lifecycle_api.headers(Role.SYSTEM),
        )
    ).json()
    payload = str(feed["events"][0]["payload"])
    assert resident_id()[:-2] not in payload and "13812345678" not in payload
    assert "1990" not in payload and "5678" in payload
    assert "sealed:v1:" in payload


async def test_one_record_per_id_number(lifecycle_api: Api) -> None:
    branch_id = await branch(lifecycle_api)
    body = person_body(branch_id)
    first = await lifecycle_api.client.post(
        f"{V1}/people", json=body, headers=lifecycle_api.headers()
    )
    assert first.status_code == 201
    again = await lifecycle_api.client.post(
        f"{V1}/people", json={**body, "name": "李四"}, headers=lifecycle_api.headers()
    )
    assert (again.status_code, again.json()["code"]) == (409, "person.already_registered")


async def test_the_id_number_is_checked(lifecycle_api: Api) -> None:
    branch_id = await branch(lifecycle_api)
    cases = [
        ({"resident_id": gb11643.with_wrong_check(resident_id())}, "ids.resident_id_check_digit"),
        ({"gender": "female"}, "person.gender_mismatch"),  # the 17th digit, 1, is odd: male
        ({"birth_date": "1990-03-08"}, "person.birth_date_mismatch"),
        # Valid check digits on impossible lives: born in 2099, or in 1800.
        (
            {"resident_id": gb11643.resident_id(date(2099, 1, 1), 1)},
            "person.birth_date_implausible",
        ),
        (
            {"resident_id": gb11643.resident_id(date(1800, 1, 1), 1)},
            "person.birth_date_implausible",
        ),
        ({"name": "张\n三"}, "person.text_not_single_line"),
    ]
    for changes, code in cases:
        response = await lifecycle_api.client.post(
            f"{V1}/people",
            json=person_body(branch_id, **changes),
            headers=lifecycle_api.headers(),
        )
        assert (response.status_code, response.json()["code"]) == (422, code), response.text
        assert "1990-03-07" not in response.text  # the encoded birth date is never echoed


async def test_people_outside_the_callers_subtree_are_not_found(lifecycle_api: Api) -> None:
    mine, theirs = await branch(lifecycle_api, "本支部"), await branch(lifecycle_api, "他支部")
    created = (
        await lifecycle_api.client.post(
            f"{V1}/people", json=person_body(theirs), headers=lifecycle_api.headers()
        )
    ).json()
    admin = lifecycle_api.headers(Role.ORG_ADMIN, org=uuid.UUID(mine))
    assert (
        await lifecycle_api.client.get(f"{V1}/people/{created['id']}", headers=admin)
    ).status_code == 404
    refused = await lifecycle_api.client.post(
        f"{V1}/people", json=person_body(theirs), headers=admin
    )
    assert refused.status_code == 404


async def test_age_filters_are_exact_though_the_table_holds_no_birth_date(
    lifecycle_api: Api,
) -> None:
    from sqlalchemy import select

    from member_lifecycle.domain.evidence import add_months
    from member_lifecycle.projections.people import people

    api = lifecycle_api
    branch_id = await branch(api)
    on = api.runtime.clock()
    eighteen_today = add_months(on, -12 * 18)  # 年满十八岁 today
    seventeen = eighteen_today + timedelta(days=1)  # 18 tomorrow
    ids = {}
    # Several people born in the same month on either side of the boundary, to page through.
    for serial, born in enumerate([eighteen_today, seventeen] * 3, start=1):
        body = person_body(
            branch_id,
            name=f"人{serial:02d}",
            gender="male" if serial % 2 else "female",
            resident_id=gb11643.resident_id(born, serial),
            phone=None,
        )
        created = await api.client.post(f"{V1}/people", json=body, headers=api.headers())
        assert created.status_code == 201, created.text
        ids[created.json()["id"]] = born
    roster = f"{V1}/orgs/{branch_id}/roster"

    async def walk(**params: int) -> list[str]:
        found, cursor = [], None
        while True:
            query = {**params, "limit": 1, **({"cursor": cursor} if cursor else {})}
            page = (await api.client.get(roster, params=query, headers=api.headers())).json()
            found += [p["id"] for p in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return found

    adults = await walk(min_age=18)
    minors = await walk(max_age=17)
    assert sorted(adults) == sorted(i for i, b in ids.items() if b == eighteen_today)
    assert sorted(minors) == sorted(i for i, b in ids.items() if b == seventeen)
    async with api.runtime.db.engine.connect() as conn:
        rows = (await conn.execute(select(people))).mappings().all()
    assert "birth_date" not in rows[0]
    stored = {str(v) for row in rows for v in row.values()}
    assert not any(b.isoformat() in stored and b.day != 1 for b in ids.values())
