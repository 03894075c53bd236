"""Auditing a running system: past state from the log, and an exported bundle verified."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from e2e_support import Cluster, jiceng, wait_until
from jiceng.auth.principal import Role

V1 = "/org-registry/v1"


def test_state_as_it_was_and_a_verified_export(cluster: Cluster, tmp_path: Path) -> None:
    with cluster.client() as admin, cluster.client(Role.AUDITOR) as auditor:
        org = admin.post(
            f"{V1}/organisations",
            json={
                "name": "审计示例党委",
                "org_type": "committee",
                "domain": "government",
            },
        ).json()
        said_then = admin.get(f"{V1}/organisations/{org['id']}").json()
        moment = datetime.now(UTC)
        time.sleep(0.05)
        admin.post(
            f"{V1}/organisations/{org['id']}/renaming",
            json={"name": "审计示例党委（更名）", "reason": "机构改革"},
        )

        state = auditor.get(
            f"{V1}/audit/streams/{org['id']}/state", params={"at": moment.isoformat()}
        ).json()
        assert state["version"] == said_then["version"] == 1
        for field in ("name", "org_type", "domain", "parent_id", "status"):
            assert state["state"][field] == said_then[field], field
        history = auditor.get(f"{V1}/audit/streams/{org['id']}").json()
        assert history[-1]["changes"]["name"]["after"] == "审计示例党委（更名）"
        assert history[-1]["reason"] == "机构改革"

        signed = auditor.post(f"{V1}/audit/checkpoints").json()
        assert signed["algorithm"] == "sm3"
        wait_until(
            lambda: (
                signed["position"]
                in {c["position"] for c in auditor.get(f"{V1}/audit/checkpoints").json()}
            ),
            what="the checkpoint indexed",
        )

    exported = jiceng(cluster, "audit", "export", "org-registry", "--to", str(tmp_path / "b"))
    assert exported.returncode == 0, exported.stderr
    verified = jiceng(
        cluster, "audit", "verify", str(tmp_path / "b"), "--trust-key", signed["public_key"]
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK: every event matches its digest" in verified.stdout
    live = jiceng(cluster, "audit", "verify", "--live", "org-registry")
    assert live.returncode == 0, live.stdout + live.stderr
