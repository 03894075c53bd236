"""org-registry over HTTP on real storage: the tree, terms, alerts, coverage and venues."""

from __future__ import annotations

from typing import Any

from stdnum.cn import uscc

from jiceng.auth.principal import Role
from jiceng.eventlog.records import FeedEvent
from jiceng.membercounts.projection import MemberCountsProjection
from support import Api

V1 = "/org-registry/v1"
ORGS = f"{V1}/organisations"


async def post(
    api: Api, path: str, body: dict[str, Any], status: int = 200, **headers: str
) -> dict[str, Any]:
    response = await api.client.post(f"{V1}{path}", json=body, headers=api.headers(**headers))
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


async def get(api: Api, path: str, **params: Any) -> Any:
    response = await api.client.get(f"{V1}{path}", params=params, headers=api.headers())
    assert response.status_code == 200, response.text
    return response.json()


async def counted(api: Api, org_id: str, formal: int, probationary: int = 0) -> None:
    """What member-lifecycle would publish, applied to org-registry's read model."""
    event = FeedEvent(
        id=1,
        stream_id=org_id,
        stream_version=1,
        type="OrgMembership.Counted",
        occurred_at="2026-11-01T00:00:00+00:00",
        actor="service:member-lifecycle",
        correlation_id=None,
        causation_id=None,
        reason=None,
        policy_pack=None,
        payload={
            "org_id": org_id,
            "formal": formal,
            "probationary": probationary,
            "activists": 0,
            "candidates": 0,
            "as_of": "2026-11-01",
        },
    )
    async with api.runtime.db.engine.begin() as conn:
        await MemberCountsProjection().handle(conn, event)


async def test_reaffiliation_moves_a_whole_subtree(org_service: Api) -> None:
    univ = await org_service.establish("大学党委")
    a = await org_service.establish("甲学院党总支", univ["id"], org_type="general_branch")
    b = await org_service.establish("乙学院党总支", univ["id"], org_type="general_branch")
    branch = await org_service.establish("教工支部", a["id"])
    group = await org_service.establish("第一党小组", branch["id"], org_type="party_group")

    moved = await post(
        org_service,
        f"/organisations/{branch['id']}/reaffiliation",
        {"parent_id": b["id"], "reason": "学院调整"},
    )
    assert moved["parent_id"] == b["id"]
    ancestors = await get(org_service, f"/organisations/{group['id']}/ancestors")
    assert [n["name"] for n in ancestors] == ["大学党委", "乙学院党总支", "教工支部"]
    subtree = await get(org_service, f"/organisations/{b['id']}/subtree")
    assert [(n["name"], n["depth"]) for n in subtree["items"]] == [
        ("乙学院党总支", 1),
        ("教工支部", 2),
        ("第一党小组", 3),
    ]
    assert (await get(org_service, f"/organisations/{a['id']}"))["children"] == []

    cycle = await org_service.client.post(
        f"{ORGS}/{b['id']}/reaffiliation",
        json={"parent_id": branch["id"]},
        headers=org_service.headers(**{"Accept-Language": "en"}),
    )
    assert cycle.status_code == 422
    assert cycle.json()["code"] == "organisation.affiliation_cycle"


async def test_placement_rule_names_the_rule_and_the_pack(org_service: Api) -> None:
    univ = await org_service.establish("大学党委")
    college = await org_service.establish("学院党总支", univ["id"], org_type="general_branch")
    refused = await org_service.client.post(
        ORGS,
        json={
            "name": "党小组",
            "org_type": "party_group",
            "domain": "university",
            "parent_id": college["id"],
        },
        headers=org_service.headers(),
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "organisation.child_type_not_allowed"
    assert (body["rule"], body["pack"]) == ("org.allowed_children", "national@1")
    assert "党总支" not in body["detail"] or "general_branch" in body["detail"]


async def test_merge_dissolve_and_restore(org_service: Api) -> None:
    root = await org_service.establish("镇党委", domain="rural")
    old = await org_service.establish("东村党支部", root["id"], domain="rural")
    new = await org_service.establish("新村党支部", root["id"], domain="rural")
    group = await org_service.establish("东村第一党小组", old["id"], org_type="party_group")

    merged = await post(
        org_service,
        f"/organisations/{old['id']}/merger",
        {"into_id": new["id"], "merged_on": "2026-06-30"},
    )
    assert (merged["status"], merged["merged_into"], merged["children"]) == (
        "merged",
        new["id"],
        [],
    )
    assert (await get(org_service, f"/organisations/{group['id']}"))["parent_id"] == new["id"]

    refused = await org_service.client.post(
        f"{ORGS}/{root['id']}/dissolution",
        json={"dissolved_on": "2026-07-01"},
        headers=org_service.headers(),
    )
    assert refused.json()["code"] == "organisation.has_children"

    await counted(org_service, group["id"], formal=2, probationary=1)
    with_members = await org_service.client.post(
        f"{ORGS}/{group['id']}/dissolution",
        json={"dissolved_on": "2026-07-01"},
        headers=org_service.headers(),
    )
    assert (with_members.json()["code"], with_members.json()["members"]) == (
        "organisation.has_members",
        3,
    )
    await counted(org_service, group["id"], formal=0)
    dissolved = await post(
        org_service,
        f"/organisations/{group['id']}/dissolution",
        {"dissolved_on": "2026-07-01", "reason": "党员转出"},
    )
    assert dissolved["status"] == "dissolved"
    counts = await get(org_service, f"/organisations/{root['id']}/counts")
    assert counts["total"] == 2  # the 镇党委 and 新村党支部: merged and dissolved do not count
    restored = await post(
        org_service,
        f"/organisations/{group['id']}/restoration",
        {"restored_on": "2026-07-02", "reason": "误撤销"},
    )
    assert restored["status"] == "active"


async def test_terms_due_overdue_and_vacant_secretaries(org_service: Api) -> None:
    root = await org_service.establish("县委组织部直属党委", domain="government")
    branches = [
        await org_service.establish(f"机关第{n}支部", root["id"], domain="government")
        for n in range(3)
    ]
    seats = [
        {"office": "secretary", "name": "王书记"},
        {"office": "organisation_member", "name": "李委员"},
        {"office": "publicity_member", "name": "张委员"},
    ]
    for branch, held_on in zip(branches, ["2023-01-10", "2023-12-20", "2025-05-01"], strict=True):
        org = await post(
            org_service,
            f"/organisations/{branch['id']}/elections",
            {"held_on": held_on, "seats": seats},
        )
        assert org["term"]["years"] == 3
    due = await get(
        org_service, f"/organisations/{root['id']}/elections-due", on="2026-11-23", within_days=60
    )
    assert [(d["org_name"], d["due_on"], d["days_left"]) for d in due] == [
        ("机关第1支部", "2026-12-20", 27)
    ]
    overdue = await get(
        org_service, f"/organisations/{root['id']}/elections-overdue", on="2026-11-23"
    )
    assert [(d["org_name"], d["days_left"]) for d in overdue] == [("机关第0支部", -317)]

    postponed = await post(
        org_service,
        f"/organisations/{branches[0]['id']}/term-postponement",
        {"months": 12, "approved_on": "2025-12-01", "approved_by": "县委"},
    )
    assert postponed["term"]["due_on"] == "2027-01-10"
    too_long = await org_service.client.post(
        f"{ORGS}/{branches[0]['id']}/term-postponement",
        json={"months": 1, "approved_on": "2026-01-01", "approved_by": "县委"},
        headers=org_service.headers(),
    )
    assert (too_long.json()["code"], too_long.json()["limit"]) == ("term.postponement_too_long", 12)

    await post(
        org_service,
        f"/organisations/{branches[2]['id']}/vacancies",
        {"office": "secretary", "since": "2026-06-01"},
    )
    vacant = await get(
        org_service, f"/organisations/{root['id']}/secretary-vacancies", on="2026-11-23"
    )
    assert vacant == []  # the national pack sets no limit
    await post(
        org_service,
        f"/organisations/{root['id']}/policy-pack-assignment",
        {"pack_id": "changsha-gaoxin-2015", "effective_from": "2015-01-01"},
    )
    vacant = await get(
        org_service, f"/organisations/{root['id']}/secretary-vacancies", on="2026-11-23"
    )
    assert [(v["org_name"], v["days_vacant"], v["limit_days"], v["pack"]) for v in vacant] == [
        ("机关第2支部", 175, 90, "changsha-gaoxin-2015@1")
    ]
    filled = await post(
        org_service,
        f"/organisations/{branches[2]['id']}/vacancy-filling",
        {"seat": {"office": "secretary", "name": "赵书记"}, "filled_on": "2026-11-01"},
    )
    assert filled["term"]["vacancies"] == {}
    assert (
        await get(org_service, f"/organisations/{root['id']}/secretary-vacancies", on="2026-11-23")
        == []
    )


async def test_structural_alerts_use_the_pack_of_each_subtree(org_service: Api) -> None:
    univ = await org_service.establish("大学党委")
    await post(
        org_service,
        f"/organisations/{univ['id']}/policy-pack-assignment",
        {"pack_id": "university-2012", "effective_from": "2012-03-01"},
    )
    students = await org_service.establish("本科生党支部", univ["id"], student_branch=True)
    staff = await org_service.establish("教工党支部", univ["id"])
    await counted(org_service, students["id"], formal=12, probationary=10)
    await counted(org_service, staff["id"], formal=8)
    alerts = await get(org_service, f"/organisations/{univ['id']}/alerts")
    found = {(a["org_name"], a["code"]): a for a in alerts}
    oversized = found[("本科生党支部", "org.branch_oversized")]
    assert (oversized["rule"], oversized["pack"], oversized["numbers"]) == (
        "org.student_branch_size_max",
        "university-2012@1",
        {"members": 22, "threshold": 20},
    )
    assert ("教工党支部", "org.committee_missing") in found
    assert ("大学党委", "org.too_small_for_type") in found  # 30 members is not over 100
    policy = await get(org_service, f"/organisations/{students['id']}/policy")
    assert policy["chain"] == ["university-2012@1", "national@1"]
    assert policy["rules"]["org.student_branch_size_max"] == 20


async def test_host_units_and_coverage(org_service: Api) -> None:
    county = await org_service.establish(
        "县非公党工委", org_type="working_committee", domain="private_enterprise"
    )
    joint = await org_service.establish(
        "工业园联合党支部", county["id"], org_type="joint_branch", domain="private_enterprise"
    )
    own = await org_service.establish("甲公司党支部", county["id"], domain="private_enterprise")

    def code(n: int) -> str:
        body = f"9143010{n}MA4L0XXX0"
        return body + uscc.calc_check_digit(body)

    units = []
    for n, (formal, total, region) in enumerate(
        [(5, 6, "430104"), (3, 3, "430104"), (1, 2, "430105"), (0, 0, "430105")]
    ):
        unit = await post(
            org_service,
            "/host-units",
            {
                "name": f"单位{n}",
                "credit_code": code(n),
                "unit_type": "private_enterprise",
                "employees": 100,
                "region_code": region,
                "managing_org_id": county["id"],
            },
            status=201,
        )
        await post(
            org_service,
            f"/host-units/{unit['id']}/member-count",
            {"formal": formal, "total": total, "as_of": "2026-10-01"},
        )
        units.append(unit)
    await post(
        org_service,
        f"/host-units/{units[0]['id']}/coverage",
        {"kind": "standalone", "covered_on": "2024-01-01", "org_id": own["id"]},
    )
    await post(
        org_service,
        f"/host-units/{units[1]['id']}/coverage",
        {"kind": "joint", "covered_on": "2024-01-01", "org_id": joint["id"]},
    )
    await post(
        org_service,
        f"/host-units/{units[2]['id']}/coverage",
        {"kind": "instructor", "covered_on": "2024-01-01", "instructor": "刘指导员"},
    )

    report = await get(org_service, f"/organisations/{county['id']}/coverage")
    assert (
        report["standalone"]["covered"],
        report["standalone"]["eligible"],
        report["standalone"]["rate"],
    ) == (1, 2, "0.5000")
    assert report["standalone"]["uncovered_units"] == [units[1]["id"]]
    assert (report["organisation"]["covered"], report["organisation"]["eligible"]) == (2, 3)
    assert (report["work"]["covered"], report["work"]["eligible"]) == (3, 4)
    listed = await get(org_service, f"/organisations/{county['id']}/host-units", limit=3)
    assert [u["name"] for u in listed["items"]] == ["单位0", "单位1", "单位2"]
    rest = await get(
        org_service, f"/organisations/{county['id']}/host-units", cursor=listed["next_cursor"]
    )
    assert [u["name"] for u in rest["items"]] == ["单位3"]
    joint_units = await get(
        org_service, f"/organisations/{county['id']}/host-units", coverage="joint"
    )
    assert [u["coverage"] for u in joint_units["items"]] == ["joint"]
    by_region = await get(org_service, f"/organisations/{county['id']}/coverage", region="430105")
    assert by_region["units"] == 2

    duplicate = await org_service.client.post(
        f"{V1}/host-units",
        json={
            "name": "重复",
            "credit_code": code(0),
            "unit_type": "private_enterprise",
            "employees": 1,
            "region_code": "430104",
            "managing_org_id": county["id"],
        },
        headers=org_service.headers(),
    )
    assert (duplicate.status_code, duplicate.json()["code"]) == (
        409,
        "host_unit.duplicate_credit_code",
    )
    bad_code = await org_service.client.post(
        f"{V1}/host-units",
        json={
            "name": "坏码",
            "credit_code": code(7)[:-1] + "Z",
            "unit_type": "private_enterprise",
            "employees": 1,
            "region_code": "430104",
            "managing_org_id": county["id"],
        },
        headers=org_service.headers(),
    )
    assert (bad_code.status_code, bad_code.json()["code"]) == (422, "ids.uscc_characters")
    not_joint = await org_service.client.post(
        f"{V1}/host-units/{units[3]['id']}/coverage",
        json={"kind": "joint", "covered_on": "2024-01-01", "org_id": own["id"]},
        headers=org_service.headers(),
    )
    assert not_joint.json()["code"] == "host_unit.joint_needs_joint_branch"


async def test_venues_are_rated_against_the_pack_in_force(org_service: Api) -> None:
    district = await org_service.establish("区委", domain="community")
    await post(
        org_service,
        f"/organisations/{district['id']}/policy-pack-assignment",
        {"pack_id": "district-2020", "effective_from": "2020-01-01"},
    )
    community = await org_service.establish("幸福社区党委", district["id"], domain="community")
    venue = await post(
        org_service,
        "/venues",
        {
            "org_id": community["id"],
            "name": "幸福社区党群服务中心",
            "area_m2": "540",
            "households_served": 2000,
            "checklist": {"premises": True},
        },
        status=201,
    )
    refused = await org_service.client.post(
        f"{V1}/venues/{venue['id']}/inspection",
        json={"grade": "first", "inspected_on": "2026-10-10", "inspector": "区委组织部"},
        headers=org_service.headers(),
    )
    assert refused.json()["code"] == "venue.area_below_standard"
    assert (refused.json()["required_m2"], refused.json()["pack"]) == ("600.00", "district-2020@1")
    updated = await post(
        org_service,
        f"/venues/{venue['id']}/update",
        {
            "area_m2": "620",
            "households_served": 2000,
            "checklist": {"premises": True, "facilities": True},
        },
        **{"If-Match": '"1"'},
    )
    rated = await post(
        org_service,
        f"/venues/{updated['id']}/inspection",
        {"grade": "first", "inspected_on": "2026-10-10", "inspector": "区委组织部"},
    )
    assert rated["grade"] == "first"
    listed = await get(org_service, f"/organisations/{district['id']}/venues")
    assert [(v["name"], v["grade"]) for v in listed["items"]] == [("幸福社区党群服务中心", "first")]
    feed = (
        await org_service.client.get(
            "/org-registry/v1/events",
            params={"types": "Venue.Rated"},
            headers=org_service.headers(Role.SYSTEM),
        )
    ).json()
    [rating] = feed["events"]
    assert rating["payload"]["grade"] == "first"
    assert rating["policy_pack"] == "district-2020@1"


async def test_search_and_subtree_paging(org_service: Api) -> None:
    root = await org_service.establish("市委", code="C-001")
    for n in range(5):
        town = await org_service.establish(
            f"第{n}镇党委", root["id"], org_type="committee", domain="rural", code=f"T-{n:03d}"
        )
        await org_service.establish(f"第{n}镇机关支部", town["id"], domain="government")
    seen, cursor = [], None
    while True:
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = await get(org_service, f"/organisations/{root['id']}/subtree", **params)
        seen += page["items"]
        if not (cursor := page["next_cursor"]):
            break
    assert len(seen) == 11 and len({n["id"] for n in seen}) == 11
    position = {n["id"]: index for index, n in enumerate(seen)}
    for node in seen:  # tree order: each organisation after its parent
        if node["parent_id"] in position:
            assert position[node["parent_id"]] < position[node["id"]]
    shallow = await get(org_service, f"/organisations/{root['id']}/subtree", max_depth=1)
    assert len(shallow["items"]) == 6
    found = await get(org_service, f"/organisations/{root['id']}/search", q="T-00")
    assert len(found["items"]) == 5
    assert [
        n["name"]
        for n in (await get(org_service, f"/organisations/{root['id']}/search", q="3镇机关"))[
            "items"
        ]
    ] == ["第3镇机关支部"]
