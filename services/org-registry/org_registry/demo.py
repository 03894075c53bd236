"""Demo organisations, loaded over HTTP by ``jiceng up --demo`` (only into an empty log)."""

from __future__ import annotations

from typing import Any

import httpx

# (key, parent key, name, org_type, domain)
DEMO_TREE: list[tuple[str, str | None, str, str, str]] = [
    ("univ", None, "示范大学党委", "committee", "university"),
    ("cs", "univ", "计算机学院党总支", "general_branch", "university"),
    ("cs-fac", "cs", "计算机学院教工第一党支部", "branch", "university"),
    ("cs-stu", "cs", "计算机学院本科生第一党支部", "branch", "university"),
    ("cs-pg", "cs", "计算机学院研究生党支部", "branch", "university"),
    ("math", "univ", "数学学院党总支", "general_branch", "university"),
    ("math-fac", "math", "数学学院教工党支部", "branch", "university"),
    ("county", None, "示范县委组织部直属党委", "committee", "government"),
    ("town", "county", "青山镇党委", "committee", "rural"),
    ("village", "town", "青山村党支部", "branch", "rural"),
    ("community", "town", "青山社区党支部", "branch", "community"),
    ("firm", "county", "示范科技有限公司党支部", "branch", "private_enterprise"),
]


def load(client: httpx.Client) -> dict[str, Any]:
    """Establish the demo tree unless org-registry already has events."""
    head = client.get("/org-registry/v1/events/head").raise_for_status().json()["head"]
    if head:
        return {"skipped": True, "reason": f"org-registry already has {head} events"}
    ids: dict[str, str] = {}
    for key, parent, name, org_type, domain in DEMO_TREE:
        body = {
            "name": name,
            "org_type": org_type,
            "domain": domain,
            "parent_id": ids[parent] if parent else None,
            "reason": "演示数据",
        }
        response = client.post(
            "/org-registry/v1/organisations", json=body, headers={"Idempotency-Key": f"demo-{key}"}
        )
        ids[key] = response.raise_for_status().json()["id"]
    return {"skipped": False, "organisations": len(ids), "ids": ids}
