"""org-registry through the gateway, with member counts arriving from member-lifecycle's feed."""

from __future__ import annotations

from typing import Any

import httpx

from e2e_support import Cluster, wait_until

V1 = "/org-registry/v1"


def post(client: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


def lifecycle_head(client: httpx.Client) -> int:
    """Where member-lifecycle's log ends: the events a test looks at come after it (the
    cluster is shared with other tests)."""
    return int(client.get("/member-lifecycle/v1/events/head").json()["head"])


def test_a_branch_grows_past_its_limit_and_org_registry_raises_the_alert(
    cluster: Cluster,
) -> None:
    with cluster.client() as client:
        head = lifecycle_head(client)
        univ = post(
            client,
            f"{V1}/organisations",
            {"name": "端到端大学党委", "org_type": "committee", "domain": "university"},
        )
        post(
            client,
            f"{V1}/organisations/{univ['id']}/policy-pack-assignment",
            {"pack_id": "university-2012", "effective_from": "2012-03-01"},
        )
        branch = post(
            client,
            f"{V1}/organisations",
            {
                "name": "本科生党支部",
                "org_type": "branch",
                "domain": "university",
                "parent_id": univ["id"],
                "student_branch": True,
            },
        )
        post(
            client,
            f"{V1}/organisations/{branch['id']}/elections",
            {
                "held_on": "2025-09-01",
                "seats": [
                    {"office": "secretary", "name": "甲"},
                    {"office": "organisation_member", "name": "乙"},
                    {"office": "publicity_member", "name": "丙"},
                ],
            },
        )

        # member-lifecycle learns of the branch from org-registry's feed...
        wait_until(
            lambda: client.get(f"/member-lifecycle/v1/orgs/{branch['id']}").status_code == 200,
            what="member-lifecycle's copy",
        )
        post(
            client,
            f"/member-lifecycle/v1/orgs/{branch['id']}/member-counts",
            {"formal": 12, "probationary": 9, "as_of": "2026-11-01"},
        )

        # ...and org-registry learns the counts from member-lifecycle's feed.
        def oversized() -> list[dict[str, Any]]:
            alerts = client.get(f"{V1}/organisations/{univ['id']}/alerts").json()
            return [a for a in alerts if a["code"] == "org.branch_oversized"]

        wait_until(lambda: bool(oversized()), what="the oversized-branch alert")
        [alert] = oversized()
        assert (alert["org_id"], alert["pack"], alert["numbers"]) == (
            branch["id"],
            "university-2012@1",
            {"members": 21, "threshold": 20},
        )
        events = client.get(
            "/member-lifecycle/v1/events",
            params={"types": "OrgMembership.Counted", "after": head, "limit": 1000},
        ).json()["events"]
        counted = [e for e in events if e["payload"]["org_id"] == branch["id"]]
        assert counted and counted[-1]["actor"] == "jwt:e2e"


def test_merging_an_organisation_moves_its_members(cluster: Cluster) -> None:
    with cluster.client() as client:
        head = lifecycle_head(client)
        root = post(
            client,
            f"{V1}/organisations",
            {"name": "合并测试镇党委", "org_type": "committee", "domain": "rural"},
        )
        source, target = (
            post(
                client,
                f"{V1}/organisations",
                {"name": name, "org_type": "branch", "domain": "rural", "parent_id": root["id"]},
            )
            for name in ("东村党支部", "西村党支部")
        )
        for org, formal in ((source, 4), (target, 10)):
            wait_until(
                lambda o=org: client.get(f"/member-lifecycle/v1/orgs/{o['id']}").status_code == 200,
                what="member-lifecycle's copy",
            )
            post(
                client,
                f"/member-lifecycle/v1/orgs/{org['id']}/member-counts",
                {"formal": formal, "probationary": 0, "as_of": "2026-06-30"},
            )
        post(
            client,
            f"{V1}/organisations/{source['id']}/merger",
            {"into_id": target["id"], "merged_on": "2026-07-01"},
        )

        def counts(org: dict[str, Any]) -> dict[str, Any]:
            result: dict[str, Any] = client.get(
                f"/member-lifecycle/v1/orgs/{org['id']}/member-counts"
            ).json()
            return result

        wait_until(lambda: counts(target)["formal"] == 14, what="the members to move")
        assert counts(source)["formal"] == 0
        events = client.get(
            "/member-lifecycle/v1/events",
            params={"types": "OrgMembership.Counted", "after": head, "limit": 1000},
        ).json()["events"]
        caused = [e for e in events if (e["causation_id"] or "").startswith("org-registry:")]
        assert {e["payload"]["org_id"] for e in caused} == {source["id"], target["id"]}
        assert {e["actor"] for e in caused} == {"service:member-lifecycle"}
