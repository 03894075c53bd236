"""The four services as processes: organisations flow from org-registry to its followers."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx

from e2e_support import Cluster, wait_until
from jiceng.registry import service_names

ORGS = "/org-registry/v1/organisations"


def establish(client: httpx.Client, name: str, parent: str | None = None) -> dict[str, Any]:
    response = client.post(
        ORGS,
        json={
            "name": name,
            "org_type": "branch" if parent else "committee",
            "domain": "community",
            "parent_id": parent,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def copy_in(client: httpx.Client, org_id: str) -> dict[str, Any] | None:
    response = client.get(f"/member-lifecycle/v1/orgs/{org_id}")
    return response.json() if response.status_code == 200 else None


def orgtree_follower(client: httpx.Client, service: str = "member-lifecycle") -> dict[str, Any]:
    """A service's follower of org-registry's tree."""
    followers = client.get(f"/{service}/v1/consumers").json()
    [status] = [f for f in followers if f["name"] == "org-registry:orgtree"]
    result: dict[str, Any] = status
    return result


def test_every_service_serves_health_docs_and_feed(cluster: Cluster) -> None:
    with cluster.client() as client:
        for service in service_names():
            assert client.get(f"/{service}/healthz").json()["status"] == "ok"
            assert client.get(f"/{service}/docs").status_code == 200
            spec = client.get(f"/{service}/openapi.json").json()
            assert f"/{service}/v1/events" in spec["paths"]
            assert client.get(f"/{service}/v1/events").status_code == 200
            ready = client.get(f"/{service}/readyz").json()
            assert ready["status"] == "ready"
            assert "org-registry:orgtree" in ready["consumers"]


def test_an_organisation_created_at_the_gateway_reaches_member_lifecycle(
    cluster: Cluster,
) -> None:
    with cluster.client() as client:
        org = establish(client, "青山社区党委")
        wait_until(lambda: copy_in(client, org["id"]) is not None, what="the copy")
        copy = copy_in(client, org["id"])
        assert copy is not None
        assert (copy["name"], copy["org_type"], copy["depth"]) == ("青山社区党委", "committee", 0)
        for service in ("assessment", "funding"):
            wait_until(
                lambda s=service: orgtree_follower(client, s)["lag"] == 0,
                what=f"{service} caught up",
            )


def test_member_lifecycle_stopped_then_restarted_catches_up_exactly(cluster: Cluster) -> None:
    with cluster.client() as client:
        root = establish(client, "县委")
        wait_until(lambda: copy_in(client, root["id"]) is not None, what="root copied")
        cluster.kill("member-lifecycle")  # no chance to finish anything in flight

        children = [establish(client, f"第{n}党支部", root["id"]) for n in range(5)]
        renamed = client.post(f"{ORGS}/{children[0]['id']}/renaming", json={"name": "更名支部"})
        assert renamed.status_code == 200
        head = client.get("/org-registry/v1/events/head").json()["head"]

        cluster.start("member-lifecycle")

        def caught_up() -> bool:
            status = orgtree_follower(client)
            return bool(status["position"] == head and status["state"] == "running")

        wait_until(caught_up, what="member-lifecycle at the head")
        status = orgtree_follower(client)
        assert (status["lag"], status["dead_letters"]) == (0, 0)
        copies = [copy_in(client, child["id"]) for child in children]
        assert all(c is not None for c in copies)
        assert copies[0] == {**copies[0], "name": "更名支部", "version": 2}
        assert {c["parent_id"] for c in copies if c} == {root["id"]}
        assert {c["depth"] for c in copies if c} == {1}


def test_feed_follow_prints_events_as_they_happen(cluster: Cluster) -> None:
    with cluster.client() as client:
        head = client.get("/org-registry/v1/events/head").json()["head"]
        follower = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jiceng",
                "feed",
                "org-registry",
                "--follow",
                "--after",
                str(head),
            ],
            env=cluster.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            establish(client, "跟随测试党委")
            assert follower.stdout is not None
            line = follower.stdout.readline()
        finally:
            follower.terminate()
            follower.wait(10)
        assert f"#{head + 1} " in line
        assert "Organisation.Established" in line
        assert "跟随测试党委" in line
        assert "jwt:e2e" in line


def test_followers_survive_org_registry_going_down_and_coming_back(cluster: Cluster) -> None:
    with cluster.client() as client:
        cluster.kill("org-registry")

        def disconnected() -> bool:
            ready = httpx.get(f"{cluster.url('funding')}/readyz", timeout=5).json()
            return bool(ready["degraded"]) and ready["status"] == "ready"

        wait_until(disconnected, what="funding to notice its upstream is down", timeout=40)
        cluster.start("org-registry")
        org = establish(client, "恢复后成立的党委")

        def funding_has_it() -> bool:
            status = orgtree_follower(client, "funding")
            return bool(
                status["state"] == "running" and status["lag"] == 0 and status["position"] >= 1
            )

        wait_until(funding_has_it, what="funding to resume", timeout=40)
        wait_until(
            lambda: copy_in(client, org["id"]) is not None, what="member-lifecycle copy", timeout=40
        )
