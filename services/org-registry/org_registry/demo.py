"""Demo data, loaded over HTTP by ``jiceng up --demo`` (only into an empty log).

A university committee with colleges and student/faculty branches, and a county with a town
and its villages, a street and its 社区, government bodies and private enterprises, with
policy packs, terms (some overdue or falling due), a vacant secretary post, host units of
every kind of coverage, and venues.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from stdnum.cn import uscc

from jiceng.calendar import today as beijing_today

V1 = "/org-registry/v1"

# (key, parent key, name, org_type, domain, extra fields)
TREE: list[tuple[str, str | None, str, str, str, dict[str, Any]]] = [
    ("univ", None, "示范大学党委", "committee", "university", {"code": "U-0001"}),
    ("cs", "univ", "计算机学院党总支", "general_branch", "university", {}),
    ("cs-fac", "cs", "计算机学院教工第一党支部", "branch", "university", {}),
    (
        "cs-stu",
        "cs",
        "计算机学院本科生第一党支部",
        "branch",
        "university",
        {"student_branch": True},
    ),
    ("cs-pg", "cs", "计算机学院研究生党支部", "branch", "university", {"student_branch": True}),
    ("math", "univ", "数学学院党总支", "general_branch", "university", {}),
    ("math-fac", "math", "数学学院教工党支部", "branch", "university", {}),
    ("math-stu", "math", "数学学院本科生党支部", "branch", "university", {"student_branch": True}),
    ("county", None, "示范县委组织部直属党委", "committee", "government", {"code": "C-0001"}),
    ("town", "county", "青山镇党委", "committee", "rural", {"region_code": "430121"}),
    ("village1", "town", "青山村党支部", "branch", "rural", {}),
    ("village2", "town", "绿水村党支部", "branch", "rural", {}),
    ("street", "county", "城关街道党工委", "working_committee", "community", {}),
    ("community", "street", "幸福社区党委", "committee", "community", {}),
    ("grid", "community", "幸福社区第一网格党支部", "branch", "community", {}),
    ("organs", "county", "县直机关工委", "working_committee", "government", {}),
    ("office", "organs", "县委办公室党支部", "branch", "government", {}),
    ("finance", "organs", "县财政局党支部", "branch", "government", {}),
    ("private", "county", "县非公有制经济组织党委", "committee", "private_enterprise", {}),
    ("firm", "private", "甲科技有限公司党支部", "branch", "private_enterprise", {}),
    ("park", "private", "工业园联合党支部", "joint_branch", "private_enterprise", {}),
]

PACKS = [
    ("univ", "university-2012", "2012-03-01"),
    ("street", "district-2020", "2020-01-01"),
    ("private", "changsha-gaoxin-2015", "2015-01-01"),
]

SEATS3 = [
    {"office": "secretary", "name": "王建国"},
    {"office": "organisation_member", "name": "李红"},
    {"office": "publicity_member", "name": "张伟"},
]
SEATS1 = [{"office": "secretary", "name": "陈明"}]


def _post(client: httpx.Client, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
    response = client.post(
        f"{V1}{path}",
        json={**body, "reason": "演示数据"},
        headers={"Idempotency-Key": f"demo-{key}"},
    )
    if response.status_code >= 400:
        raise RuntimeError(f"demo {path}: {response.status_code} {response.text}")
    result: dict[str, Any] = response.json()
    return result


def _credit_code(n: int) -> str:
    body = f"91430121MA4L{n:04d}X"
    return body + uscc.calc_check_digit(body)


def load(client: httpx.Client, loaded: dict[str, Any]) -> dict[str, Any]:
    """Establish the demo data unless org-registry already has events."""
    head = client.get(f"{V1}/events/head").raise_for_status().json()["head"]
    if head:
        return {"skipped": True, "reason": f"org-registry already has {head} events"}
    today = beijing_today()
    ids: dict[str, str] = {}
    for key, parent, name, org_type, domain, extra in TREE:
        body = {
            "name": name,
            "org_type": org_type,
            "domain": domain,
            "parent_id": ids[parent] if parent else None,
            **extra,
        }
        ids[key] = _post(client, "/organisations", body, f"org-{key}")["id"]
    for key, pack, since in PACKS:
        _post(
            client,
            f"/organisations/{ids[key]}/policy-pack-assignment",
            {"pack_id": pack, "effective_from": since},
            f"pack-{key}",
        )
    elections = [
        ("cs", "2022-06-15", SEATS3),  # 3 years: overdue since 2025-06-15
        ("cs-stu", (today - timedelta(days=3 * 365 - 25)).isoformat(), SEATS1),  # due soon
        ("village1", "2020-11-10", SEATS3),  # 5 years (village): overdue since 2025-11-10
        ("office", "2024-12-01", SEATS1),
        ("firm", "2024-04-20", SEATS3),
        ("community", "2021-12-01", SEATS3),
    ]
    for key, held_on, seats in elections:
        _post(
            client,
            f"/organisations/{ids[key]}/elections",
            {"held_on": held_on, "seats": seats},
            f"election-{key}",
        )
    _post(
        client,
        f"/organisations/{ids['community']}/term-postponement",
        {"months": 6, "approved_on": "2026-10-15", "approved_by": "城关街道党工委"},
        "postpone-community",
    )
    _post(
        client,
        f"/organisations/{ids['firm']}/vacancies",
        {"office": "secretary", "since": (today - timedelta(days=140)).isoformat()},
        "vacancy-firm",
    )
    units = _host_units(client, ids)
    venues = _venues(client, ids)
    return {
        "skipped": False,
        "organisations": len(ids),
        "host_units": units,
        "venues": venues,
        "ids": ids,
    }


def _host_units(client: httpx.Client, ids: dict[str, str]) -> int:
    units = [
        ("甲科技有限公司", 320, 12, 14, {"kind": "standalone", "org_id": ids["firm"]}),
        ("乙精密制造有限公司", 150, 2, 2, {"kind": "joint", "org_id": ids["park"]}),
        ("丙物流有限公司", 90, 3, 3, {"kind": "joint", "org_id": ids["park"]}),
        ("丁商贸有限公司", 40, 1, 1, {"kind": "instructor", "instructor": "刘党建指导员"}),
        ("戊餐饮管理有限公司", 25, 0, 0, None),
    ]
    for n, (name, employees, formal, total, coverage) in enumerate(units):
        unit = _post(
            client,
            "/host-units",
            {
                "name": name,
                "credit_code": _credit_code(n),
                "unit_type": "private_enterprise",
                "employees": employees,
                "region_code": "430121",
                "managing_org_id": ids["private"],
            },
            f"unit-{n}",
        )
        _post(
            client,
            f"/host-units/{unit['id']}/member-count",
            {"formal": formal, "total": total, "as_of": "2026-06-30"},
            f"unit-members-{n}",
        )
        if coverage:
            _post(
                client,
                f"/host-units/{unit['id']}/coverage",
                {**coverage, "covered_on": "2024-07-01"},
                f"unit-coverage-{n}",
            )
    return len(units)


def _venues(client: httpx.Client, ids: dict[str, str]) -> int:
    all_six = dict.fromkeys(
        ["premises", "facilities", "signage", "party_flag", "reading_materials", "rules"], True
    )
    venues = [
        ("village1", "青山村党群服务中心", "180", 420, all_six, "second"),
        ("community", "幸福社区党群服务中心", "650", 2000, all_six, "first"),
        (
            "firm",
            "甲科技有限公司党员活动室",
            "60",
            0,
            {**all_six, "reading_materials": False},
            None,
        ),
    ]
    for n, (key, name, area, households, checklist, grade) in enumerate(venues):
        venue = _post(
            client,
            "/venues",
            {
                "org_id": ids[key],
                "name": name,
                "area_m2": area,
                "households_served": households,
                "checklist": checklist,
            },
            f"venue-{n}",
        )
        if grade:
            _post(
                client,
                f"/venues/{venue['id']}/inspection",
                {"grade": grade, "inspected_on": "2026-09-20", "inspector": "县委组织部"},
                f"venue-rating-{n}",
            )
    return len(venues)
