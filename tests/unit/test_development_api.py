"""The path over HTTP (in-process): steps, refusals as problems, queries, counts."""

from __future__ import annotations

import uuid
from typing import Any

from jiceng.auth.principal import Role
from member_lifecycle.demo_path import requests
from support import Api, copy_of_org, formal_members, org_event, register_person

V1 = "/member-lifecycle/v1"


async def org(
    api: Api, name: str, org_type: str, parent: str | None, domain: str = "university"
) -> str:
    return await copy_of_org(api, name, org_type, parent, domain)


async def register(api: Api, branch: str, serial: int) -> str:
    return await register_person(api, branch, serial)


async def act(api: Api, person: str, action: str, body: dict[str, Any], status: int = 200) -> Any:
    response = await api.client.post(
        f"{V1}/people/{person}/{action}", json=body, headers=api.headers()
    )
    assert response.status_code == status, (action, response.text)
    return response.json()


async def test_the_whole_path_over_http_with_refusals_counts_and_queries(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    committee = await org(api, "某大学党委", "committee", None)
    branch = await org(api, "计算机学院学生第一党支部", "branch", committee)
    general = await org(api, "某总支", "general_branch", committee)
    contacts = await formal_members(api, branch, 3)
    person = await register(api, branch, 1)
    steps = requests(contacts[:2], [contacts[0], contacts[2]], committee)
    record: dict[str, Any] = {}
    for action, body in steps:
        if action == "candidate-designation":
            # One day short of a full year as activist: refused, naming the rule and dates.
            problem = await act(api, person, action, {**body, "on": "2025-01-31"}, 422)
            assert problem["code"] == "development.activist_period_too_short"
            assert "2025-02-01" in problem["detail"]
        if action == "admission-approval":
            problem = await act(api, person, action, {**body, "approver_org_id": general}, 422)
            assert problem["code"] == "development.approver_not_entitled"
        record = await act(api, person, action, body)
    assert record["stage"] == "formal"
    assert record["dates"]["formal_since"] == "2026-04-01"
    assert [s["number"] for s in record["steps"]] == list(range(1, 26))

    timeline = (
        await api.client.get(f"{V1}/people/{person}/timeline", headers=api.headers(Role.AUDITOR))
    ).json()
    assert len(timeline) == 1 + len(steps)  # registration + one event per step
    assert {e["policy_pack"] for e in timeline[1:]} == {"national@1"}

    # The counts reaction (own feed) publishes OrgMembership.Counted for the branch.
    counts = api.runtime.follower_for("member-lifecycle", "member-counts")
    await counts.wait_for(api.runtime.log.head(), 10)
    got = (await api.client.get(f"{V1}/orgs/{branch}/member-counts", headers=api.headers())).json()
    assert (got["formal"], got["probationary"], got["applicants"]) == (4, 0, 0)

    pipeline = (
        await api.client.get(f"{V1}/orgs/{committee}/pipeline", headers=api.headers())
    ).json()
    assert {b["key"]: b["count"] for b in pipeline["by_stage"]} == {"formal": 4}
    roster = (
        await api.client.get(
            f"{V1}/orgs/{committee}/roster",
            params={"stage": "formal", "min_party_years": 10},
            headers=api.headers(),
        )
    ).json()
    assert len(roster["items"]) == 3  # the imported members, 党龄 ≥ 10

    plan = await api.client.put(
        f"{V1}/orgs/{committee}/development-plans/2025", json={"quota": 4}, headers=api.headers()
    )
    assert plan.status_code == 200, plan.text
    assert (plan.json()["quota"], plan.json()["admitted"], plan.json()["remaining"]) == (4, 1, 3)


async def test_to_do_lists_what_is_due_and_overdue_in_the_subtree(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await org(api, "党委", "committee", None)
    branch = await org(api, "支部", "branch", committee)
    person = await register(api, branch, 1)
    await act(api, person, "application", {"on": "2026-09-01"})
    todo = (
        await api.client.get(
            f"{V1}/orgs/{committee}/to-do", params={"as_of": "2026-11-23"}, headers=api.headers()
        )
    ).json()
    assert [(t["kind"], t["due_on"], t["overdue"], t["days_overdue"]) for t in todo["items"]] == [
        ("application_talk", "2026-10-01", True, 53)
    ]


async def test_a_stale_if_match_and_an_underage_application_are_refused(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await org(api, "党委", "committee", None)
    branch = await org(api, "支部", "branch", committee)
    person = await register(api, branch, 1)
    stale = await api.client.post(
        f"{V1}/people/{person}/application",
        json={"on": "2026-09-01"},
        headers={**api.headers(), "If-Match": '"7"'},
    )
    assert stale.status_code == 412
    english = await api.client.post(
        f"{V1}/people/{person}/application",
        json={"on": "2008-01-01"},
        headers={**api.headers(), "Accept-Language": "en"},
    )
    assert english.status_code == 422
    assert english.json()["code"] == "development.applicant_too_young"
    assert "Not 18 full years old on 2008-01-01" in english.json()["detail"]
    # The age, the birth date or the day of coming of age would each give the sealed part of
    # the ID number back, tried on chosen dates.
    assert "03-07" not in english.text and "17" not in english.json()["detail"]


async def test_a_transfer_is_accepted_by_the_receiving_side_in_its_own_scope(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    home_root = await org(api, "甲党委", "committee", None)
    home = await org(api, "甲支部", "branch", home_root)
    away_root = await org(api, "乙党委", "committee", None, domain="government")
    away = await org(api, "乙支部", "branch", away_root, domain="government")
    member = (await formal_members(api, home, 1))[0]
    home_admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(home_root))
    away_admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(away_root))
    path = f"{V1}/people/{member}/transfers"

    outsider = await api.client.post(
        path, json={"to_org_id": away, "sent_on": "2026-07-01", "letter": "L1"}, headers=away_admin
    )
    assert outsider.status_code in (403, 404)
    sent = await api.client.post(
        path, json={"to_org_id": away, "sent_on": "2026-07-01", "letter": "L1"}, headers=home_admin
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["branch_id"] == home  # the old branch stays responsible
    own_acceptance = await api.client.post(
        f"{path}/acceptance", json={"on": "2026-07-05"}, headers=home_admin
    )
    assert own_acceptance.status_code in (403, 404)
    accepted = await api.client.post(
        f"{path}/acceptance", json={"on": "2026-07-05"}, headers=away_admin
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["branch_id"] == away
    gone = await api.client.get(f"{V1}/people/{member}/record", headers=home_admin)
    assert gone.status_code in (403, 404)


async def test_the_path_and_its_codes_are_published_as_data(lifecycle_api: Api) -> None:
    steps = (
        await lifecycle_api.client.get(f"{V1}/meta/steps", headers=lifecycle_api.headers())
    ).json()
    assert [s["number"] for s in steps] == list(range(1, 26))
    assert steps[14]["value"] == "admission_vote" and steps[14]["decided_by"] == "branch_meeting"
    enums = (
        await lifecycle_api.client.get(f"{V1}/meta/enums", headers=lifecycle_api.headers())
    ).json()
    assert {"value": "probationary", "label": "预备党员"} in enums["stage"]


async def test_the_voting_roll_leaves_out_probationary_and_suspended_members(
    lifecycle_api: Api,
) -> None:
    api = lifecycle_api
    committee = await org(api, "党委", "committee", None)
    branch = await org(api, "支部", "branch", committee)
    formal = await formal_members(api, branch, 3)
    newcomer = await register(api, branch, 31)
    await act(
        api,
        newcomer,
        "imported-membership",
        {"stage": "probationary", "admitted_on": "2026-06-01", "source": "党员信息库"},
    )
    await act(api, formal[2], "lost-contact", {"on": "2026-01-01"})
    await act(api, formal[2], "suspension", {"on": "2026-07-10", "body": "党委"})
    roll = (await api.client.get(f"{V1}/orgs/{branch}/voting-roll", headers=api.headers())).json()
    assert roll["entitled"] == 2
    assert {v["id"] for v in roll["voters"]} == set(formal[:2])
    assert roll["without_vote"] == {"probationary": 1, "suspended": 1, "party_probation": 0}


async def assign_pack(api: Api, org_id: str, pack: str, since: str) -> None:
    payload = {"pack_id": pack, "effective_from": since}
    await org_event(api, org_id, 2, "Organisation.PolicyPackAssigned", payload)


async def test_an_upheld_objection_over_http_stops_the_step(lifecycle_api: Api) -> None:
    api = lifecycle_api
    university = await org(api, "大学党委", "committee", None)
    await assign_pack(api, university, "university-2012", "2012-03-01")
    branch = await org(api, "学生支部", "branch", university)
    person = await register(api, branch, 1)
    await act(api, person, "application", {"on": "2026-09-01"})
    await act(
        api, person, "application-talk", {"on": "2026-09-10", "body": "书记", "summary": "谈话"}
    )
    designation = {
        "on": "2026-10-20",
        "body": "branch_committee",
        "recommendation": "party_members",
    }
    problem = await act(api, person, "activist-designation", designation, 422)
    assert (problem["code"], "university-2012@1" in problem["detail"]) == ("notice.required", True)
    notice = await act(api, person, "notices/activist", {"starts_on": "2026-09-30"})
    assert notice["notices"]["activist"]["ends_on"] == "2026-10-12"  # National Day, 调休 Saturday
    await act(
        api, person, "notices/activist/objections", {"received_on": "2026-10-09", "summary": "反映"}
    )
    await act(
        api,
        person,
        "notices/activist/objections/conclusion",
        {"concluded_on": "2026-10-15", "upheld": True, "conclusion": "属实"},
    )
    problem = await act(api, person, "activist-designation", designation, 422)
    assert problem["code"] == "notice.objection_upheld"
    timeline = (
        await api.client.get(f"{V1}/people/{person}/timeline", headers=api.headers())
    ).json()
    assert [e["action"] for e in timeline[-3:]] == ["started", "objection", "objection_upheld"]


async def test_a_member_reads_their_own_record_and_nobody_else_s(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await org(api, "党委", "committee", None)
    branch = await org(api, "支部", "branch", committee)
    me, neighbour = await register(api, branch, 1), await register(api, branch, 3)

    def member(subject: str) -> dict[str, str]:
        token = api.tokens.mint(subject, [Role.MEMBER], uuid.UUID(branch))
        return {"Authorization": f"Bearer {token}"}

    own = await api.client.get(f"{V1}/people/{me}/record", headers=member(me))
    assert own.status_code == 200 and own.json()["id"] == me
    assert (
        await api.client.get(f"{V1}/people/{me}/timeline", headers=member(me))
    ).status_code == 200
    other = await api.client.get(f"{V1}/people/{neighbour}/record", headers=member(me))
    assert other.status_code == 404
    assert (await api.client.get(f"{V1}/people/{neighbour}", headers=member(me))).status_code == 404
    roster = await api.client.get(f"{V1}/orgs/{branch}/roster", headers=member(me))
    assert roster.status_code == 403
    people = await api.client.get(f"{V1}/orgs/{branch}/people", headers=member(me))
    assert people.status_code == 403
