"""Demo data: member counts for the demo tree (org-registry's alerts have numbers) and
people at every stage of the path."""

from __future__ import annotations

import time
from typing import Any

import httpx

from member_lifecycle import demo_people

# org key: (formal, probationary, activists, candidates, applicants)
COUNTS = {
    "cs-fac": (18, 1, 0, 0, 0),  # ≥7 formal and no committee elected → alert
    "cs-stu": (9, 14, 30, 6, 80),  # 23 in a student branch (limit 20) → alert
    "cs-pg": (15, 3, 12, 3, 20),
    "math-fac": (12, 0, 0, 0, 0),
    "math-stu": (6, 5, 18, 4, 40),
    "village1": (26, 1, 3, 1, 4),
    "village2": (2, 0, 1, 0, 2),  # under 3 formal members → alert
    "grid": (11, 0, 2, 0, 1),
    "office": (9, 0, 1, 1, 2),  # ≥7 formal, only a secretary → alert
    "finance": (5, 1, 1, 0, 1),
    "firm": (12, 2, 4, 1, 6),
    "park": (4, 1, 1, 0, 1),
}


def load(client: httpx.Client, loaded: dict[str, Any]) -> dict[str, Any]:
    tree = loaded.get("org-registry") or {}
    ids: dict[str, str] = tree.get("ids") or {}
    if not ids:
        return {"skipped": True, "reason": "no demo organisations were loaded"}
    for key, (formal, probationary, activists, candidates, applicants) in COUNTS.items():
        path = f"/member-lifecycle/v1/orgs/{ids[key]}/member-counts"
        _wait_for_copy(client, ids[key])
        response = client.post(
            path,
            json={
                "formal": formal,
                "probationary": probationary,
                "activists": activists,
                "candidates": candidates,
                "applicants": applicants,
                "as_of": "2026-06-30",
                "reason": "演示数据（党内统计）",
            },
            headers={"Idempotency-Key": f"demo-counts-{key}"},
        )
        if response.status_code >= 400:
            raise RuntimeError(f"demo counts {key}: {response.status_code} {response.text}")
    people = demo_people.load(client, ids)
    return {"skipped": False, "organisations_counted": len(COUNTS), **people}


def _wait_for_copy(client: httpx.Client, org_id: str, timeout: float = 30.0) -> None:
    """member-lifecycle follows org-registry's feed: wait until it knows the organisation."""
    deadline = time.monotonic() + timeout
    while client.get(f"/member-lifecycle/v1/orgs/{org_id}").status_code != 200:
        if time.monotonic() > deadline:
            raise TimeoutError(f"member-lifecycle does not know {org_id} after {timeout}s")
        time.sleep(0.1)
