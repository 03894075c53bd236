"""The auditor's API: history with before/after, past states, correlations, logged reads."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from jiceng.auth.principal import Role
from jiceng.eventlog.records import read_page
from support import Api

AUDIT = "/org-registry/v1/audit"


async def test_history_state_and_correlation(org_api: Api) -> None:
    org = await org_api.establish("原名党委")
    between = datetime.now(UTC)
    await asyncio.sleep(0.01)
    renamed = await org_api.client.post(
        f"/org-registry/v1/organisations/{org['id']}/renaming",
        json={"name": "新名党委", "reason": "机构更名"},
        headers=org_api.headers(**{"X-Correlation-ID": "corr-rename-1"}),
    )
    assert renamed.status_code == 200
    auditor = org_api.headers(Role.AUDITOR)

    history = (await org_api.client.get(f"{AUDIT}/streams/{org['id']}", headers=auditor)).json()
    assert [h["type"] for h in history] == ["Organisation.Established", "Organisation.Renamed"]
    change = history[1]
    assert change["changes"]["name"] == {"before": "原名党委", "after": "新名党委"}
    assert (change["actor"], change["reason"], change["correlation_id"]) == (
        "jwt:tester",
        "机构更名",
        "corr-rename-1",
    )
    assert history[0]["policy_pack"] == "national@1"

    then = (
        await org_api.client.get(
            f"{AUDIT}/streams/{org['id']}/state",
            params={"at": between.isoformat()},
            headers=auditor,
        )
    ).json()
    assert (then["version"], then["state"]["name"]) == (1, "原名党委")
    now = (
        await org_api.client.get(
            f"{AUDIT}/streams/{org['id']}/state", params={"version": 2}, headers=auditor
        )
    ).json()
    assert now["state"]["name"] == "新名党委"
    beyond = await org_api.client.get(
        f"{AUDIT}/streams/{org['id']}/state", params={"version": 9}, headers=auditor
    )
    assert beyond.json()["code"] == "audit.version_not_reached"

    await org_api.runtime.follower_for("org-registry", "audit_index").catch_up()
    caused = (
        await org_api.client.get(f"{AUDIT}/correlations/corr-rename-1", headers=auditor)
    ).json()
    assert [e["type"] for e in caused] == ["Organisation.Renamed"]

    reads = [
        e
        for e in read_page(org_api.runtime.log, after=0, limit=100).events
        if e.type == "AuditRead.Recorded"
    ]
    assert len(reads) == 4
    assert {e.actor for e in reads} == {"jwt:tester"}
    assert reads[0].payload["resource"] == f"streams/{org['id']}"


async def test_only_auditors_read_history(org_api: Api) -> None:
    org = await org_api.establish("党委")
    response = await org_api.client.get(
        f"{AUDIT}/streams/{org['id']}", headers=org_api.headers(Role.SYSTEM)
    )
    assert response.status_code == 403


async def test_checkpoints_on_demand(org_api: Api) -> None:
    await org_api.establish("党委")
    auditor = org_api.headers(Role.AUDITOR)
    signed = (await org_api.client.post(f"{AUDIT}/checkpoints", headers=auditor)).json()
    assert signed["position"] >= 1 and signed["algorithm"] == "sm3"
    again = (await org_api.client.post(f"{AUDIT}/checkpoints", headers=auditor)).json()
    assert again["digest"] == signed["digest"]  # nothing but the checkpoint since
    await org_api.runtime.follower_for("org-registry", "audit_index").catch_up()
    listed = (await org_api.client.get(f"{AUDIT}/checkpoints", headers=auditor)).json()
    assert [c["digest"] for c in listed] == [signed["digest"]]
