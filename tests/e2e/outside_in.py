"""Two organisation trees on a running cluster, for trying the API from outside.

Tree A is the caller's: a committee, a branch, a person who holds a member token and a few
full members. Tree B is someone else's: a committee, a branch with a host unit, a venue, a term
and a person whose name, 身份证号, phone and birth date must never reach a caller scoped to A.
The data comes from the outside world: identity numbers and credit codes made by the
standards' own arithmetic, dates from the 2026 holiday notice.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

import gb11643
import gb32100
from e2e_support import Cluster, post, wait_until
from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService

ORGS = "/org-registry/v1"
PEOPLE = "/member-lifecycle/v1"

SECRET_BORN = date(1985, 6, 15)
SECRET_PHONE = "13912345678"
SECRET_NAME = "李保密"

#: Worlds built so far in this run: each puts its people in a region of its own, so that the
#: 身份证号 of one never clash with another's on a cluster the tests share.
WORLDS = itertools.count()


@dataclass
class World:
    a_root: str
    a_branch: str
    a_person: str
    a_formal: list[str]
    b_root: str
    b_branch: str
    b_person: str
    b_unit: str
    b_venue: str
    secret_id: str
    b_names: list[str] = field(default_factory=list)

    @property
    def secrets(self) -> list[str]:
        """What no answer to a caller scoped to A may hold."""
        return [
            SECRET_NAME,
            self.secret_id,
            self.secret_id[:14],  # region and birth date
            self.secret_id[6:14],  # the birth date as the number writes it
            SECRET_BORN.isoformat(),
            SECRET_PHONE,
            SECRET_PHONE[:7],
            *self.b_names,
        ]


def organisation(client: httpx.Client, body: dict[str, Any]) -> str:
    org = post(client, f"{ORGS}/organisations", body, 201)
    wait_until(
        lambda: client.get(f"{PEOPLE}/orgs/{org['id']}").status_code == 200,
        what="member-lifecycle's copy of the tree",
    )
    return str(org["id"])


def caught_up(client: httpx.Client) -> None:
    """Every follower of every service has applied everything its upstream has."""
    services = ("org-registry", "member-lifecycle", "assessment", "funding")
    heads = {s: client.get(f"/{s}/v1/events/head").json()["head"] for s in services}

    def done() -> bool:
        for service in services:
            for follower in client.get(f"/{service}/v1/consumers").json():
                if follower["position"] < heads[follower["upstream"]]:
                    return False
        return True

    wait_until(done, what="followers caught up")


def person(
    client: httpx.Client,
    branch: str,
    name: str,
    number: str,
    phone: str | None = None,
) -> str:
    body = {
        "name": name,
        "gender": "male" if int(number[16]) % 2 else "female",
        "ethnicity": "汉族",
        "resident_id": number,
        "phone": phone,
        "education": "本科",
        "work_unit": "某单位",
        "branch_id": branch,
    }
    return str(post(client, f"{PEOPLE}/people", body, 201)["id"])


def formal(client: httpx.Client, branch: str, serial: int, region: str) -> str:
    number = gb11643.resident_id(date(1970, 1, 5), serial, region)
    member = person(client, branch, f"党员{serial}", number)
    post(
        client,
        f"{PEOPLE}/people/{member}/imported-membership",
        {
            "stage": "formal",
            "admitted_on": "2000-07-01",
            "formal_since": "2001-07-01",
            "source": "党员信息库",
        },
    )
    return member


def build(cluster: Cluster) -> World:
    tag = uuid.uuid4().hex[:6]
    world = next(WORLDS)
    region, secret_region = f"{110105 + world}", f"{440305 + world}"
    secret_id = gb11643.resident_id(SECRET_BORN, 7, secret_region)
    with cluster.client() as admin:
        a_root = organisation(
            admin, {"name": f"甲街道党工委{tag}", "org_type": "committee", "domain": "community"}
        )
        a_branch = organisation(
            admin,
            {
                "name": f"甲社区党支部{tag}",
                "org_type": "branch",
                "domain": "community",
                "parent_id": a_root,
            },
        )
        b_names = [f"乙局机关党委{tag}", f"乙局办公室党支部{tag}"]
        b_root = organisation(
            admin, {"name": b_names[0], "org_type": "committee", "domain": "government"}
        )
        b_branch = organisation(
            admin,
            {
                "name": b_names[1],
                "org_type": "branch",
                "domain": "government",
                "parent_id": b_root,
            },
        )
        a_formal = [formal(admin, a_branch, 101 + 2 * n, region) for n in range(3)]
        a_number = gb11643.resident_id(date(1995, 2, 3), 11, region)
        a_person = person(admin, a_branch, "张本人", a_number)
        b_formal = [formal(admin, b_branch, 201 + 2 * n, region) for n in range(3)]
        b_person = person(admin, b_branch, SECRET_NAME, secret_id, SECRET_PHONE)
        for action, body in (
            ("application", {"on": "2026-09-01"}),
            ("application-talk", {"on": "2026-09-10", "body": "组织委员", "summary": "谈话记录"}),
        ):
            post(admin, f"{PEOPLE}/people/{b_person}/{action}", body)
        post(
            admin,
            f"{ORGS}/organisations/{b_branch}/elections",
            {
                "held_on": "2026-03-02",
                "seats": [{"office": "secretary", "name": "乙书记", "person_id": b_formal[0]}],
            },
        )
        unit = post(
            admin,
            f"{ORGS}/host-units",
            {
                "name": f"乙科技有限公司{tag}",
                "credit_code": gb32100.credit_code(f"91440300MA5{tag[:5].upper()}0"[:17]),
                "unit_type": "private_enterprise",
                "employees": 120,
                "region_code": "440305",
                "managing_org_id": b_root,
            },
            201,
        )
        venue = post(
            admin,
            f"{ORGS}/venues",
            {
                "org_id": b_branch,
                "name": f"乙党员活动室{tag}",
                "area_m2": "60.50",
                "households_served": 300,
                "checklist": {"premises": True, "party_flag": True},
            },
            201,
        )
        b_names += [unit["name"], venue["name"], "乙书记"]
        caught_up(admin)
    return World(
        a_root=a_root,
        a_branch=a_branch,
        a_person=a_person,
        a_formal=a_formal,
        b_root=b_root,
        b_branch=b_branch,
        b_person=b_person,
        b_unit=str(unit["id"]),
        b_venue=str(venue["id"]),
        secret_id=secret_id,
        b_names=b_names,
    )


def token(cluster: Cluster, role: Role, org: str | None, subject: str = "outsider") -> str:
    return TokenService(cluster.settings).mint(subject, [role], uuid.UUID(org) if org else None)
