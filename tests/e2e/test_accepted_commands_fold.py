"""What the API accepts, every read model of every service can fold.

Hypothesis draws commands whose text comes from all of Unicode (control characters, NUL and
lone surrogates included) and whose numbers from all the integers, and sends them as a client
would. A command may be refused; one that is accepted must reach the read models of its own
service and of every service that copies it, on SQLite and on PostgreSQL, with no dead letter.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import gb11643
from e2e_support import Cluster
from jiceng.auth.principal import Role
from outside_in import ORGS, PEOPLE, World, build, caught_up, token

pytestmark = pytest.mark.e2e

SERVICES = ("org-registry", "member-lifecycle", "assessment", "funding")

#: Any character at all, surrogates and controls included, and plain Chinese text.
ANY_CHARACTER = st.characters(exclude_categories=())
TEXT = st.one_of(
    st.text(ANY_CHARACTER, max_size=120),
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=30),
)
NUMBER = st.one_of(
    st.integers(0, 1000), st.integers(-10, 10**8), st.integers(), st.sampled_from([2**31, 2**63])
)


@pytest.fixture(scope="module")
def world(cluster: Cluster) -> World:
    return build(cluster)


def send(client: httpx.Client, method: str, path: str, body: dict[str, Any]) -> httpx.Response:
    # \u escapes: a lone surrogate travels as a client's JSON encoder would write it.
    return client.request(
        method,
        path,
        content=json.dumps(body).encode("ascii"),
        headers={"content-type": "application/json"},
    )


def no_dead_letters(client: httpx.Client) -> None:
    caught_up(client)
    for service in SERVICES:
        ready = client.get(f"/{service}/readyz").json()
        stuck = {
            name: (c["dead_letters"], c["state"], c["last_error"])
            for name, c in ready["consumers"].items()
            if c["dead_letters"] or c["state"] == "failing"
        }
        assert stuck == {}, (service, stuck)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_an_accepted_command_folds_everywhere(
    cluster: Cluster, world: World, data: st.DataObject
) -> None:
    bearer = token(cluster, Role.PLATFORM_ADMIN, None)
    headers = {"Authorization": f"Bearer {bearer}"}
    kind = data.draw(
        st.sampled_from(["establish", "rename", "venue", "unit_members", "counts", "person"])
    )
    with httpx.Client(base_url=cluster.gateway, timeout=30, headers=headers) as client:
        if kind in ("establish", "rename"):
            name, short = data.draw(TEXT), data.draw(st.one_of(st.none(), TEXT))
            if kind == "establish":
                body = {
                    "name": name,
                    "short_name": short,
                    "code": data.draw(st.one_of(st.none(), TEXT)),
                    "org_type": "branch",
                    "domain": "government",
                    "parent_id": world.b_root,
                }
                answer = send(client, "POST", f"{ORGS}/organisations", body)
                org_id = answer.json().get("id") if answer.status_code == 201 else None
            else:
                org_id = world.b_branch
                answer = send(
                    client,
                    "POST",
                    f"{ORGS}/organisations/{org_id}/renaming",
                    {"name": name, "short_name": short},
                )
            assert answer.status_code < 500, answer.text
            event(f"{kind}: {'accepted' if answer.is_success else answer.json().get('code')}")
            if answer.is_success:
                no_dead_letters(client)
                stored = client.get(f"{ORGS}/organisations/{org_id}").json()["name"]
                copied = client.get(f"{PEOPLE}/orgs/{org_id}").json()["name"]
                assert stored == copied == name.strip()
        elif kind == "venue":
            body = {
                "area_m2": data.draw(st.sampled_from(["1", "60.50", "9999999999.99", "0.01"])),
                "households_served": data.draw(NUMBER),
                "checklist": {"premises": True},
            }
            answer = send(client, "POST", f"{ORGS}/venues/{world.b_venue}/update", body)
            assert answer.status_code < 500, answer.text
            event(f"{kind}: {'accepted' if answer.is_success else answer.json().get('code')}")
            if answer.is_success:
                no_dead_letters(client)
                listed = client.get(f"{ORGS}/organisations/{world.b_root}/venues").json()
                [venue] = [v for v in listed["items"] if v["id"] == world.b_venue]
                assert venue["households_served"] == body["households_served"]
        elif kind == "unit_members":
            formal, total = data.draw(NUMBER), data.draw(NUMBER)
            body = {"formal": formal, "total": total, "as_of": "2026-10-08"}
            answer = send(client, "POST", f"{ORGS}/host-units/{world.b_unit}/member-count", body)
            assert answer.status_code < 500, answer.text
            event(f"{kind}: {'accepted' if answer.is_success else answer.json().get('code')}")
            if answer.is_success:
                no_dead_letters(client)
                listed = client.get(f"{ORGS}/organisations/{world.b_root}/host-units").json()
                [unit] = [u for u in listed["items"] if u["id"] == world.b_unit]
                assert (unit["formal_members"], unit["members"]) == (formal, total)
        elif kind == "counts":
            counts = {k: data.draw(NUMBER) for k in ("formal", "probationary", "activists")}
            on = data.draw(st.one_of(st.dates(), st.dates(date(2026, 1, 1), date(2026, 12, 31))))
            body = {**counts, "as_of": on.isoformat()}
            answer = send(client, "POST", f"{PEOPLE}/orgs/{world.b_branch}/member-counts", body)
            assert answer.status_code < 500, answer.text
            event(f"{kind}: {'accepted' if answer.is_success else answer.json().get('code')}")
            if answer.is_success:
                # Folded by member-lifecycle and, across services, by org-registry.
                no_dead_letters(client)
        else:
            body = {
                "name": data.draw(TEXT),
                "gender": "male",
                "ethnicity": data.draw(st.one_of(st.sampled_from(["汉族", "回族"]), TEXT)),
                "resident_id": gb11643.resident_id(
                    data.draw(st.dates(date(1950, 1, 1), date(2005, 12, 31))),
                    data.draw(st.sampled_from([1, 3, 5, 7, 9])),
                ),
                "work_unit": data.draw(st.one_of(st.none(), TEXT)),
                "occupation": data.draw(st.one_of(st.none(), TEXT)),
                "branch_id": world.b_branch,
            }
            answer = send(client, "POST", f"{PEOPLE}/people", body)
            assert answer.status_code < 500, answer.text
            event(f"{kind}: {'accepted' if answer.is_success else answer.json().get('code')}")
            if answer.is_success:
                no_dead_letters(client)
