"""member-lifecycle over HTTP on real storage (SQLite files, then PostgreSQL)."""

from __future__ import annotations

import asyncio
from typing import Any

from member_lifecycle.demo_path import requests
from support import Api, copy_of_org, register_person

V1 = "/member-lifecycle/v1"


async def post(api: Api, person: str, action: str, body: dict[str, Any]) -> Any:
    return await api.client.post(f"{V1}/people/{person}/{action}", json=body, headers=api.headers())


async def test_the_path_counts_and_concurrent_commands_on_storage(lifecycle_service: Api) -> None:
    api = lifecycle_service
    committee = await copy_of_org(api, "党委", "committee")
    branch = await copy_of_org(api, "支部", "branch", committee)
    members = []
    for serial in (101, 103, 105):
        member = await register_person(api, branch, serial)
        imported = await post(
            api,
            member,
            "imported-membership",
            {
                "stage": "formal",
                "admitted_on": "2010-07-01",
                "formal_since": "2011-07-01",
                "source": "库",
            },
        )
        assert imported.status_code == 200, imported.text
        members.append(member)
    person = await register_person(api, branch, 1)
    steps = requests(members[:2], [members[0], members[2]], committee)
    for action, body in steps[:1]:
        assert (await post(api, person, action, body)).status_code == 200

    # Two clerks record the same talk at once: one event is written, the other is refused.
    action, body = steps[1]
    answers = await asyncio.gather(*(post(api, person, action, body) for _ in range(2)))
    assert sorted(a.status_code for a in answers)[0] == 200
    assert [a.status_code for a in answers].count(200) == 1, [a.text for a in answers]
    timeline = await api.client.get(f"{V1}/people/{person}/timeline", headers=api.headers())
    assert [e["action"] for e in timeline.json()] == [None, "application", "application_talk"]

    for action, body in steps[2:]:
        answer = await post(api, person, action, body)
        assert answer.status_code == 200, (action, answer.text)
    assert answer.json()["stage"] == "formal"

    reaction = api.runtime.follower_for("member-lifecycle", "member-counts")
    await reaction.wait_for(api.runtime.log.head(), 20)
    counts = await api.client.get(f"{V1}/orgs/{branch}/member-counts", headers=api.headers())
    assert counts.json()["formal"] == 4
