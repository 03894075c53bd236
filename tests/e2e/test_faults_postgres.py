"""Faults a platform team meets, tried from outside on PostgreSQL (see fault_support.py).

Nothing acknowledged is lost or doubled; a fault of a few seconds dead-letters nothing; a
corrupt row is reported and set aside while the rest flows, and is applied once repaired;
the standby follower takes over from a killed one; each answer of two API replicas with
followers apart reflects its own write; rebuild and audit verification agree at the end.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from e2e_support import wait_until
from fault_support import ORG, Deployment, deployment_env
from path_support import resident_id
from support import drop_schemas

ORGS = f"/{ORG}/v1/organisations"
ML = "/member-lifecycle/v1"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[Deployment]:
    prefix = f"f{uuid.uuid4().hex[:8]}_"
    deployment = deployment_env(tmp_path_factory.mktemp("faults"), postgres_url, prefix)
    try:
        for name in ("followers-1", "followers-2", "api-a", "api-b", "member-lifecycle"):
            deployment.start(name)
        deployment.start("gateway")
        yield deployment
    finally:
        deployment.stop_all()
        drop_schemas(postgres_url, prefix)


def establish(client: httpx.Client, name: str, parent: str | None = None, **headers: str) -> Any:
    body: dict[str, Any] = {"name": name, "org_type": "committee", "domain": "rural"}
    if parent:
        body.update(org_type="branch", parent_id=parent)
    return client.post(ORGS, json=body, headers=headers)


def established_named(deployment: Deployment, name: str) -> int:
    """How many Established events with ``name`` the org-registry log holds (read raw)."""
    with deployment.client() as client:
        page = client.get(
            f"/{ORG}/v1/events", params={"limit": 1000, "types": "Organisation.Established"}
        ).json()
        count = sum(1 for e in page["events"] if e["payload"].get("name") == name)
        while page["next_after"] < page["head"]:
            page = client.get(
                f"/{ORG}/v1/events",
                params={"after": page["next_after"], "limit": 1000},
            ).json()
            count += sum(
                1
                for e in page["events"]
                if e["type"] == "Organisation.Established" and e["payload"].get("name") == name
            )
    return count


def dead_letters(client: httpx.Client, service: str) -> int:
    consumers = client.get(f"/{service}/v1/consumers").json()
    return sum(int(c["dead_letters"]) for c in consumers)


def test_two_replicas_with_followers_apart_answer_with_their_own_write(
    deployment: Deployment,
) -> None:
    with deployment.client() as client:
        for n in range(12):
            made = establish(client, f"副本党委{n}")
            assert made.status_code == 201, made.text
            assert made.headers["jiceng-read-models"] == "current"
            # The next request goes to the other replica (the gateway takes them in turn).
            got = client.get(f"{ORGS}/{made.json()['id']}")
            assert got.status_code == 200, got.text


def test_killed_between_commit_and_answer_the_retry_gives_one_event(
    deployment: Deployment,
) -> None:
    # With the followers down the command commits, then waits for its read models: the
    # API process is killed in that wait, after its commit and before its answer.
    for name in ("followers-1", "followers-2"):
        deployment.kill(name)
    head = int(deployment.sql(f"SELECT max(notification_id) FROM {events(deployment)}")[0][0])
    api_a = f"http://127.0.0.1:{deployment.api_ports['api-a']}"
    outcome: dict[str, Any] = {}

    def first_try() -> None:
        with deployment.client(api_a) as client:
            try:
                outcome["answer"] = establish(client, "崩溃重试党委", **{"Idempotency-Key": "k-1"})
            except httpx.HTTPError as error:
                outcome["error"] = error

    thread = threading.Thread(target=first_try)
    thread.start()
    wait_until(
        lambda: (
            deployment.sql(f"SELECT max(notification_id) FROM {events(deployment)}")[0][0] > head
        ),
        what="the first try's commit",
        timeout=10,
    )
    deployment.kill("api-a")
    thread.join(10)
    assert "answer" not in outcome  # the client never heard back
    for name in ("followers-1", "followers-2"):
        deployment.start(name)
    with deployment.client(f"http://127.0.0.1:{deployment.api_ports['api-b']}") as client:
        retried = establish(client, "崩溃重试党委", **{"Idempotency-Key": "k-1"})
        again = establish(client, "崩溃重试党委", **{"Idempotency-Key": "k-1"})
    assert retried.status_code == again.status_code == 201, retried.text
    assert retried.json()["id"] == again.json()["id"]
    assert established_named(deployment, "崩溃重试党委") == 1
    deployment.start("api-a")


def events(deployment: Deployment) -> str:
    return deployment.table(ORG, "orgregistry_events")


def test_six_seconds_of_failing_read_model_writes_dead_letter_nothing(
    deployment: Deployment,
) -> None:
    org_nodes = f'"{deployment.schema("member-lifecycle")}".org_nodes'
    with deployment.client() as client:
        with deployment.failing_writes(org_nodes, "55P03"):  # lock_not_available
            parent = establish(client, "故障期间党委").json()["id"]
            child = establish(client, "故障期间支部", parent=parent).json()["id"]
            time.sleep(6)
            assert client.get(f"{ML}/orgs/{child}").status_code == 404  # not applied yet
        wait_until(
            lambda: client.get(f"{ML}/orgs/{child}").status_code == 200,
            what="member-lifecycle's copy after the fault",
            timeout=30,
        )
        assert client.get(f"{ML}/orgs/{parent}").status_code == 200
        assert dead_letters(client, "member-lifecycle") == 0


def test_six_seconds_of_failing_reaction_writes_dead_letter_nothing(
    deployment: Deployment,
) -> None:
    tracking = deployment.table("member-lifecycle", "memberlifecycle_tracking")
    with deployment.client() as client:
        committee = establish(client, "计数党委").json()["id"]
        branch = establish(client, "计数支部", parent=committee).json()["id"]
        wait_until(lambda: client.get(f"{ML}/orgs/{branch}").status_code == 200, what="copy")
        with deployment.failing_writes(tracking, "40001"):  # serialization_failure
            person = client.post(
                f"{ML}/people",
                json={
                    "name": "计数甲",
                    "gender": "male",
                    "ethnicity": "汉族",
                    "resident_id": resident_id(date(1988, 8, 8), 11),
                    "education": "本科",
                    "branch_id": branch,
                },
            )
            assert person.status_code == 201, person.text
            imported = client.post(
                f"{ML}/people/{person.json()['id']}/imported-membership",
                json={
                    "stage": "formal",
                    "admitted_on": "2010-06-01",
                    "formal_since": "2011-06-01",
                    "source": "党员信息库",
                },
            )
            assert imported.status_code == 200, imported.text
            time.sleep(6)

        def formal() -> int:
            got = client.get(f"{ML}/orgs/{branch}/member-counts")
            return int(got.json()["formal"]) if got.status_code == 200 else -1

        wait_until(lambda: formal() == 1, what="the count after the fault", timeout=30)
        assert dead_letters(client, "member-lifecycle") == 0


def test_the_standby_takes_over_when_the_active_follower_is_killed(
    deployment: Deployment,
) -> None:
    states = {
        name: deployment.followers_state(name)["consumers"]
        for name in ("followers-1", "followers-2")
    }
    active = next(
        name
        for name, consumers in states.items()
        if any(c["state"] == "running" for c in consumers.values())  # type: ignore[union-attr]
    )
    answers: list[httpx.Response] = []

    def load() -> None:
        with deployment.client() as client:
            for n in range(30):
                answers.append(establish(client, f"接管党委{n}"))

    thread = threading.Thread(target=load)
    thread.start()
    wait_until(lambda: len(answers) >= 8, what="load under way")
    deployment.kill(active)
    thread.join(120)
    assert [a.status_code for a in answers] == [201] * 30
    with deployment.client() as client:
        for answer in answers:
            wait_until(
                lambda a=answer: client.get(f"{ORGS}/{a.json()['id']}").status_code == 200,
                what="every organisation after the takeover",
                timeout=20,
            )
    deployment.start(active)  # back as the standby


def test_a_corrupt_row_is_reported_set_aside_and_applied_once_repaired(
    deployment: Deployment,
) -> None:
    for name in ("followers-1", "followers-2", "member-lifecycle"):
        deployment.kill(name)
    with deployment.client() as client:
        made = [establish(client, f"损坏行党委{n}").json()["id"] for n in range(3)]
        feed = client.get(f"/{ORG}/v1/events", params={"types": "Organisation.Established"})
    table = events(deployment)
    [(row_id, state)] = deployment.sql(
        f"SELECT notification_id, state FROM {table} WHERE originator_id = %s", uuid.UUID(made[1])
    )
    assert feed.status_code == 200
    deployment.sql(f"UPDATE {table} SET state = %s WHERE notification_id = %s", b"\x00", row_id)
    for name in ("followers-1", "followers-2", "member-lifecycle"):
        deployment.start(name)
    with deployment.client() as client:
        page = client.get(f"/{ORG}/v1/events", params={"after": int(row_id) - 1, "limit": 1})
        assert page.status_code == 200
        assert page.json()["events"][0]["type"] == "jiceng.Undecodable"
        assert page.json()["events"][0]["id"] == row_id
        for org in (made[0], made[2]):  # the rest flows
            wait_until(lambda o=org: client.get(f"{ORGS}/{o}").status_code == 200, what="org")
            wait_until(lambda o=org: client.get(f"{ML}/orgs/{o}").status_code == 200, what="copy")
        assert client.get(f"{ORGS}/{made[1]}").status_code in (404, 503)
        assert dead_letters(client, "member-lifecycle") >= 1
        ready = [deployment.followers_state(n) for n in ("followers-1", "followers-2")]
        assert any(r["degraded"] for r in ready), ready
        # The operator repairs the row from a backup, then retries the dead letters.
        deployment.sql(f"UPDATE {table} SET state = %s WHERE notification_id = %s", state, row_id)
        retried = deployment.jiceng("consumers", "retry", ORG)
        assert retried.returncode == 0, retried.stdout + retried.stderr
        wait_until(
            lambda: client.get(f"{ORGS}/{made[1]}").status_code == 200, what="the repaired org"
        )
        answer = client.post(f"{ML}/consumers/dead-letters/retry")
        assert answer.status_code == 200, answer.text
        assert all(r["applied"] for r in answer.json()), answer.json()
        assert client.get(f"{ML}/orgs/{made[1]}").status_code == 200
        assert dead_letters(client, "member-lifecycle") == 0


def test_rebuild_and_audit_verification_agree_at_the_end(deployment: Deployment) -> None:
    for service in (ORG, "member-lifecycle"):
        verified = deployment.jiceng("audit", "verify", "--live", service)
        assert verified.returncode == 0, verified.stdout + verified.stderr
    rebuilt = deployment.jiceng("projections", "rebuild", ORG)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
