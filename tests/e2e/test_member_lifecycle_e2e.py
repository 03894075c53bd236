"""One person walked through all 25 steps over HTTP against running services, then audited.

The branch sits under a university committee assigned the university's 2012 pack, so every
decision the pack puts a 公示 before waits for one. Two attempts are refused on the way;
after 转正 the member transfers to a branch of another committee. The auditor then exports
member-lifecycle's log, verifies it, and asks for the person as they stood before the vote.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from e2e_support import Cluster, jiceng, post, wait_until
from jiceng.auth.principal import Role
from member_lifecycle.demo_path import requests
from path_support import resident_id

ORGS = "/org-registry/v1"
V1 = "/member-lifecycle/v1"

#: The 公示 the university pack requires, each before the decision it names.
NOTICES = {
    "activist-designation": ("activist", "2024-01-22"),
    "candidate-designation": ("candidate", "2025-01-20"),
    "admission-approval": ("probationary_admission", "2025-04-14"),
    "conversion-approval": ("conversion", "2026-04-20"),
}


def organisation(client: httpx.Client, body: dict[str, Any]) -> str:
    org = post(client, f"{ORGS}/organisations", body, 201)
    wait_until(
        lambda: client.get(f"{V1}/orgs/{org['id']}").status_code == 200,
        what="member-lifecycle's copy of the tree",
    )
    return str(org["id"])


def test_twenty_five_steps_two_refusals_a_transfer_and_the_audit(
    cluster: Cluster, tmp_path: Path
) -> None:
    with cluster.client() as admin, cluster.client(Role.AUDITOR) as auditor:
        university = organisation(
            admin, {"name": "某大学党委", "org_type": "committee", "domain": "university"}
        )
        post(
            admin,
            f"{ORGS}/organisations/{university}/policy-pack-assignment",
            {"pack_id": "university-2012", "effective_from": "2012-03-01"},
        )
        branch = organisation(
            admin,
            {
                "name": "学生第一党支部",
                "org_type": "branch",
                "domain": "university",
                "parent_id": university,
                "student_branch": True,
            },
        )
        city = organisation(
            admin, {"name": "某市直机关工委", "org_type": "committee", "domain": "government"}
        )
        other = organisation(
            admin,
            {
                "name": "某局机关党支部",
                "org_type": "branch",
                "domain": "government",
                "parent_id": city,
            },
        )
        wait_until(
            lambda: admin.get(f"{V1}/orgs/{branch}").json()["version"] >= 1, what="the branch"
        )

        def register(serial: int) -> str:
            body = {
                "name": f"学生{serial}",
                "gender": "male" if serial % 2 else "female",
                "ethnicity": "汉族",
                "resident_id": resident_id(datetime(2003, 5, 4).date(), serial),
                "education": "本科",
                "branch_id": branch,
            }
            return str(post(admin, f"{V1}/people", body, 201)["id"])

        members = []
        for serial in (101, 103, 105):
            member = register(serial)
            post(
                admin,
                f"{V1}/people/{member}/imported-membership",
                {
                    "stage": "formal",
                    "admitted_on": "2022-06-01",
                    "formal_since": "2023-06-01",
                    "source": "党员信息库",
                },
            )
            members.append(member)
        person = register(1)

        said_before_vote: dict[str, Any] = {}
        moment_before_vote = datetime.now(UTC)
        for action, body in requests(members[:2], [members[0], members[2]], university):
            if action in NOTICES:
                point, starts_on = NOTICES[action]
                post(admin, f"{V1}/people/{person}/notices/{point}", {"starts_on": starts_on})
            if action == "candidate-designation":
                # Refused: one day short of a full year as activist (2024-02-01 → 2025-02-01).
                problem = post(
                    admin, f"{V1}/people/{person}/{action}", {**body, "on": "2025-01-31"}, 422
                )
                assert problem["code"] == "development.activist_period_too_short"
            if action == "admission-vote":
                # Refused: 8 of 16 present is not more than half of 应到.
                short = {**body["vote"], "present": 8, "in_favour": 8}
                problem = post(
                    admin, f"{V1}/people/{person}/{action}", {**body, "vote": short}, 422
                )
                assert problem["code"] == "vote.quorum_not_met"
                said_before_vote = admin.get(f"{V1}/people/{person}/record").json()
                moment_before_vote = datetime.now(UTC)
                time.sleep(0.05)
            record = post(admin, f"{V1}/people/{person}/{action}", body)
        assert record["stage"] == "formal"
        assert [s["number"] for s in record["steps"]] == list(range(1, 26))
        assert record["dates"]["formal_since"] == "2026-04-01"  # back-dated to the 预备期 end

        # 组织关系转接 across the tree: pending until the receiving branch accepts.
        post(
            admin,
            f"{V1}/people/{person}/transfers",
            {"to_org_id": other, "sent_on": "2026-07-01", "letter": "2026-0071"},
        )
        assert admin.get(f"{V1}/people/{person}/record").json()["branch_id"] == branch
        accepted = post(admin, f"{V1}/people/{person}/transfers/acceptance", {"on": "2026-07-08"})
        assert (accepted["branch_id"], accepted["transfer"]) == (other, None)

        def counts(org: str) -> tuple[int, int]:
            got = admin.get(f"{V1}/orgs/{org}/member-counts")
            if got.status_code != 200:
                return (-1, -1)
            return got.json()["formal"], got.json()["applicants"]

        wait_until(lambda: counts(branch) == (3, 0), what="the old branch's count")
        wait_until(lambda: counts(other) == (1, 0), what="the new branch's count")

        # The auditor: the person as they stood before the vote, from the log alone.
        state = auditor.get(
            f"{V1}/audit/streams/{person}/state", params={"at": moment_before_vote.isoformat()}
        ).json()
        assert state["version"] == said_before_vote["version"]
        assert state["state"]["stage"] == said_before_vote["stage"] == "candidate"
        assert sorted(state["state"]["steps"]) == sorted(
            s["step"] for s in said_before_vote["steps"]
        )
        history = auditor.get(f"{V1}/audit/streams/{person}").json()
        vote_event = next(h for h in history if "admission_vote_on" in h["changes"])
        assert vote_event["policy_pack"] == "university-2012@1"
        signed = auditor.post(f"{V1}/audit/checkpoints").json()

    exported = jiceng(cluster, "audit", "export", "member-lifecycle", "--to", str(tmp_path / "b"))
    assert exported.returncode == 0, exported.stderr
    verified = jiceng(
        cluster, "audit", "verify", str(tmp_path / "b"), "--trust-key", signed["public_key"]
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK: every event matches its digest" in verified.stdout
