"""A vote's 应到 is the register's; steps naming people or organisations outside the caller's
subtree learn nothing about them; the feed is for unscoped readers."""

from __future__ import annotations

import uuid
from typing import Any

import gb32100
from jiceng.auth.principal import Role
from member_lifecycle.demo_path import requests
from support import Api, copy_of_org, formal_members, register_person

V1 = "/member-lifecycle/v1"


async def act(
    api: Api,
    person: str,
    action: str,
    body: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Any:
    response = await api.client.post(
        f"{V1}/people/{person}/{action}", json=body, headers=headers or api.headers()
    )
    assert response.status_code == status, (action, response.text)
    return response.json()


async def candidate_before_the_vote(
    api: Api, branch: str, committee: str, serial: int, members: list[str]
) -> str:
    person = await register_person(api, branch, serial)
    for action, body in requests(
        members[:2], members[1:3], committee, stop_before="admission-vote"
    ):
        await act(api, person, action, body)
    return person


async def test_the_expected_count_of_a_vote_is_the_registers(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await copy_of_org(api, "党委", "committee")
    branch = await copy_of_org(api, "支部", "branch", committee)
    members = await formal_members(api, branch, 10)
    person = await candidate_before_the_vote(api, branch, committee, 1, members)
    on = "2025-04-01"

    # Two of ten present, 应到 declared as 3: refused, naming both figures.
    declared = {"entitled": 3, "present": 2, "in_favour": 2}
    problem = await act(api, person, "admission-vote", {"on": on, "vote": declared}, 422)
    assert (problem["code"], problem["stated"], problem["register"]) == (
        "vote.entitled_differs_from_register",
        3,
        10,
    )
    # Without a figure, the register's ten: two present is no quorum.
    problem = await act(
        api, person, "admission-vote", {"on": on, "vote": {"present": 2, "in_favour": 2}}, 422
    )
    assert (problem["code"], problem["expected"], problem["needed"]) == (
        "vote.quorum_not_met",
        10,
        6,
    )
    await act(api, person, "admission-vote", {"on": on, "vote": {"present": 6, "in_favour": 6}})
    timeline = (
        await api.client.get(f"{V1}/people/{person}/timeline", headers=api.headers())
    ).json()
    vote = timeline[-1]["evidence"]["vote"]
    assert (vote["entitled"], vote["register_entitled"], vote["entitled_differs"]) == (
        10,
        10,
        False,
    )


async def test_a_stated_figure_with_a_reason_is_recorded_and_flagged(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await copy_of_org(api, "党委", "committee")
    branch = await copy_of_org(api, "支部", "branch", committee)
    members = await formal_members(api, branch, 4)
    person = await candidate_before_the_vote(api, branch, committee, 1, members)
    stated = {
        "entitled": 6,
        "entitled_reason": "两名党员尚未录入名册",
        "present": 4,
        "in_favour": 4,
    }
    await act(api, person, "admission-vote", {"on": "2025-04-01", "vote": stated})
    flagged = (
        await api.client.get(f"{V1}/orgs/{committee}/vote-discrepancies", headers=api.headers())
    ).json()["items"]
    assert [
        (f["person_id"], f["action"], f["stated"], f["register_entitled"], f["reason"])
        for f in flagged
    ] == [(person, "admission_vote", 6, 4, "两名党员尚未录入名册")]


async def test_voters_must_be_on_the_branchs_roll_and_strangers_stay_unnamed(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    committee = await copy_of_org(api, "党委", "committee")
    branch = await copy_of_org(api, "支部", "branch", committee)
    other = await copy_of_org(api, "另一支部", "branch", committee)
    members = await formal_members(api, branch, 4)
    [stranger] = await formal_members(api, other, 1, first=301)
    person = await candidate_before_the_vote(api, branch, committee, 1, members)
    vote = {"present": 3, "in_favour": 3, "roll": [*members[:2], stranger]}
    problem = await act(api, person, "admission-vote", {"on": "2025-04-01", "vote": vote}, 422)
    assert (problem["code"], problem["id"]) == ("vote.voter_not_on_roll", stranger)
    assert "人员301" not in str(problem)


async def two_trees(api: Api) -> tuple[str, str, str, str]:
    mine_root = await copy_of_org(api, "甲党委", "committee")
    mine = await copy_of_org(api, "甲支部", "branch", mine_root)
    theirs_root = await copy_of_org(api, "乙党委", "committee")
    theirs = await copy_of_org(api, "乙支部", "branch", theirs_root)
    return mine_root, mine, theirs_root, theirs


async def test_members_named_across_scope_are_refused_as_unknown(lifecycle_api: Api) -> None:
    api = lifecycle_api
    mine_root, mine, _, theirs = await two_trees(api)
    ours = await formal_members(api, mine, 2)
    [outsider] = await formal_members(api, theirs, 1, first=301)
    person = await register_person(api, mine, 1)
    admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(mine_root))
    for action, body in requests(ours, ours, mine_root, stop_before="contacts-assignment"):
        await act(api, person, action, body, headers=admin)
    answers = []
    for named in (outsider, str(uuid.uuid4())):
        body = {"on": "2024-02-10", "members": [ours[0], named]}
        problem = await act(api, person, "contacts-assignment", body, 422, admin)
        del problem["request_id"]
        answers.append(str(problem).replace(named, "<id>"))
        assert problem["id"] == named
        assert "人员301" not in str(problem) and "formal" not in str(problem)
    assert answers[0] == answers[1]  # out of scope reads exactly as not registered
    assert "person.member_not_registered" in answers[0]


async def test_an_approver_out_of_sight_is_unknown_one_above_is_named(lifecycle_api: Api) -> None:
    api = lifecycle_api
    mine_root, mine, theirs_root, _ = await two_trees(api)
    members = await formal_members(api, mine, 3)
    person = await register_person(api, mine, 1)
    branch_admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(mine))  # the branch only
    steps = requests(members[:2], members[1:], mine_root, stop_before="admission-approval")
    for action, body in steps:
        await act(api, person, action, body)
    hidden = {"on": "2025-05-01", "approver_org_id": theirs_root}
    problem = await act(api, person, "admission-approval", hidden, 422, branch_admin)
    assert (problem["code"], "乙党委" in str(problem)) == ("development.approver_unknown", False)
    above = {"on": "2025-05-01", "approver_org_id": mine_root}
    await act(api, person, "admission-approval", above, headers=branch_admin)


async def test_a_duplicate_registration_names_the_record_only_in_scope(lifecycle_api: Api) -> None:
    api = lifecycle_api
    mine_root, mine, _, theirs = await two_trees(api)
    body = {
        "name": "王芳",
        "gender": "female",  # the 17th digit, 2, is even
        "ethnicity": "汉族",
        "resident_id": "11010519491231002X",  # GB 11643's example
        "branch_id": theirs,
    }
    created = await api.client.post(f"{V1}/people", json=body, headers=api.headers())
    assert created.status_code == 201, created.text
    admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(mine_root))
    again = await api.client.post(f"{V1}/people", json={**body, "branch_id": mine}, headers=admin)
    assert (again.status_code, again.json()["code"]) == (409, "person.already_registered")
    assert "id" not in again.json() and created.json()["id"] not in again.text
    platform = await api.client.post(f"{V1}/people", json=body, headers=api.headers())
    assert platform.json()["id"] == created.json()["id"]


async def test_a_transfer_out_of_sight_records_the_destination_by_id(lifecycle_api: Api) -> None:
    api = lifecycle_api
    mine_root, mine, _, theirs = await two_trees(api)
    sibling = await copy_of_org(api, "甲第二支部", "branch", mine_root)
    first, second = await formal_members(api, mine, 2)
    admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(mine_root))
    away = await act(
        api,
        first,
        "transfers",
        {"to_org_id": theirs, "sent_on": "2026-07-01", "letter": "L1"},
        headers=admin,
    )
    assert (away["transfer"]["to_id"], away["transfer"]["to_name"]) == (theirs, None)
    near = await act(
        api,
        second,
        "transfers",
        {"to_org_id": sibling, "sent_on": "2026-07-01", "letter": "L2"},
        headers=admin,
    )
    assert near["transfer"]["to_name"] == "甲第二支部"


async def test_a_member_token_with_an_org_claim_reads_no_organisation(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await copy_of_org(api, "党委", "committee")
    branch = await copy_of_org(api, "支部", "branch", committee)
    me = await register_person(api, branch, 1)
    token = api.headers(Role.MEMBER, org=uuid.UUID(committee), subject=me)
    for path in (f"/orgs/{branch}", f"/orgs/{committee}", f"/orgs/{branch}/member-counts"):
        assert (await api.client.get(V1 + path, headers=token)).status_code in (403, 404), path
    assert (await api.client.get(f"{V1}/people/{me}/record", headers=token)).status_code == 200


async def test_the_feed_and_dead_letters_refuse_a_scoped_system_token(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await copy_of_org(api, "党委", "committee")
    scoped = api.headers(Role.SYSTEM, org=uuid.UUID(committee))
    unscoped = api.headers(Role.SYSTEM)
    for path in ("/events", "/events/head", "/consumers", "/consumers/dead-letters"):
        refused = await api.client.get(V1 + path, headers=scoped)
        assert (refused.status_code, refused.json()["code"]) == (
            403,
            "auth.scoped_principal_refused",
        ), path
        assert (await api.client.get(V1 + path, headers=unscoped)).status_code == 200, path


async def test_a_duplicate_host_unit_tells_nothing_of_the_other_tree(org_api: Api) -> None:
    theirs = await org_api.establish("乙党委", org_type="committee")
    mine = await org_api.establish("甲党委", org_type="committee")
    code = gb32100.credit_code("91440300MA5XYW120")
    unit = {
        "name": "乙科技有限公司",
        "credit_code": code,
        "unit_type": "private_enterprise",
        "employees": 50,
        "region_code": "440305",
        "managing_org_id": theirs["id"],
    }
    created = await org_api.client.post(
        "/org-registry/v1/host-units", json=unit, headers=org_api.headers()
    )
    assert created.status_code == 201, created.text
    admin = org_api.headers(Role.ORG_ADMIN, org=uuid.UUID(mine["id"]))
    again = await org_api.client.post(
        "/org-registry/v1/host-units",
        json={**unit, "name": "另一家", "managing_org_id": mine["id"]},
        headers=admin,
    )
    assert (again.status_code, again.json()["code"]) == (409, "host_unit.duplicate_credit_code")
    for secret in (created.json()["id"], theirs["id"], "乙科技", "乙党委"):
        assert secret not in again.text
