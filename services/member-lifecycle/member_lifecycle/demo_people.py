"""Demo people at every stage of the path, some with overdue deadlines (to-do list).

Each is walked over the API, so every step is checked and recorded as in real use.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from jiceng.calendar import today as beijing_today
from jiceng.ids import resident_id_check_character
from member_lifecycle.demo_path import date_of, requests

V1 = "/member-lifecycle/v1"

#: branch key → the committee that approves its admissions
BRANCHES = {"office": "organs", "village1": "town"}

#: (branch key, name, stop before this action (None: the whole path), days since the last step)
PEOPLE: list[tuple[str, str, str | None, int]] = [
    ("office", "赵一鸣", "application-talk", 40),  # applied 40 days ago: the talk is overdue
    ("office", "钱晓雨", "activist-designation", 20),
    ("office", "孙立新", "activist-assessment", 250),  # no half-yearly assessment: overdue
    ("office", "李思源", "committee-review", 10),  # 发展对象, reviewed and trained
    ("office", "周明轩", "oath", 100),  # admitted, the oath overdue
    ("office", "吴佳怡", "conversion-application", 202),  # 预备期 ended 20 days ago
    ("office", "郑浩然", None, 30),  # 正式党员
    ("village1", "冯春生", "application-talk", 5),
    ("village1", "陈秋菊", "candidate-designation", 30),
]


def load(client: httpx.Client, ids: dict[str, str]) -> dict[str, Any]:
    today = beijing_today()
    serial = 0
    walked = 0
    members: dict[str, list[str]] = {}
    for key in BRANCHES:
        members[key] = []
        for name in ("党员甲", "党员乙", "党员丙"):
            serial += 1
            member = _register(client, ids[key], name, serial)
            _post(
                client,
                f"{V1}/people/{member}/imported-membership",
                {
                    "stage": "formal",
                    "admitted_on": "2015-07-01",
                    "formal_since": "2016-07-01",
                    "source": "党员信息采集（演示）",
                },
            )
            members[key].append(member)
    for key, name, stop_before, lag in PEOPLE:
        serial += 1
        person = _register(client, ids[key], name, serial)
        path = requests([], [], "", stop_before=stop_before)
        last = date_of(path[-1][0])
        shift = (today - timedelta(days=lag) - last).days
        ms = members[key]
        for action, body in requests(
            ms[:2], [ms[0], ms[2]], ids[BRANCHES[key]], shift_days=shift, stop_before=stop_before
        ):
            _post(client, f"{V1}/people/{person}/{action}", body)
        walked += 1
    transferred = members["office"][1]
    _post(
        client,
        f"{V1}/people/{transferred}/transfers",
        {
            "to_org_id": ids["finance"],
            "sent_on": (today - timedelta(days=100)).isoformat(),
            "letter": "演示-2026-001",
        },
    )
    lost = members["village1"][2]
    _post(
        client,
        f"{V1}/people/{lost}/lost-contact",
        {"on": (today - timedelta(days=200)).isoformat()},
    )
    retired = members["office"][2]
    _post(
        client,
        f"{V1}/people/{retired}/exit",
        {
            "kind": "withdrawal",
            "on": (today - timedelta(days=60)).isoformat(),
            "body": "支部大会",
            "summary": "本人书面申请退党，经支部大会讨论同意",
        },
    )
    return {"people": serial, "walked": walked}


#: Demo people who are women (the 17th digit of their number is even).
WOMEN = {"钱晓雨", "吴佳怡", "陈秋菊", "党员乙"}


def _register(client: httpx.Client, branch: str, name: str, serial: int) -> str:
    born = date(1985 + serial % 15, 1 + serial % 12, 1 + serial % 28)
    woman = name in WOMEN
    first17 = f"430121{born:%Y%m%d}{serial * 2 + (0 if woman else 1):03d}"
    person = {
        "name": name,
        "gender": "female" if woman else "male",
        "phone": f"1390731{serial:04d}",
        "ethnicity": "汉族",
        "resident_id": first17 + resident_id_check_character(first17),
        "education": "本科" if serial % 3 else "硕士研究生",
        "branch_id": branch,
    }
    return str(_post(client, f"{V1}/people", person)["id"])


def _post(client: httpx.Client, path: str, body: dict[str, Any]) -> Any:
    response = client.post(path, json=body)
    if response.status_code >= 400:
        raise RuntimeError(f"demo {path}: {response.status_code} {response.text}")
    return response.json()
