"""The working-day calendar over HTTP, and the notices a platform administrator records."""

from __future__ import annotations

from jiceng.auth.principal import Role
from support import Api

CAL = "/member-lifecycle/v1/calendar"


async def test_deadline_across_national_day(lifecycle_api: Api) -> None:
    response = await lifecycle_api.client.get(
        f"{CAL}/deadline",
        params={"start": "2026-10-08", "working_days": 5},
        headers=lifecycle_api.headers(Role.AUDITOR),
    )
    assert response.json() == {"start": "2026-10-08", "working_days": 5, "ends_on": "2026-10-13"}


async def test_a_year_without_a_notice_is_refused_until_one_is_recorded(lifecycle_api: Api) -> None:
    headers = lifecycle_api.headers()
    year = (await lifecycle_api.client.get(f"{CAL}/years/2027", headers=headers)).json()
    assert year["official"] is False
    refused = await lifecycle_api.client.get(
        f"{CAL}/deadline",
        params={"start": "2026-12-28", "working_days": 5},
        headers=lifecycle_api.headers(**{"Accept-Language": "en"}),
    )
    assert refused.status_code == 422
    body = refused.json()
    assert (body["code"], body["year"]) == ("calendar.year_not_official", 2027)
    assert "2027" in body["detail"]

    notice = {"year": 2027, "days_off": ["2027-01-01"], "workdays": [], "source": "国办发明电"}
    clerk = lifecycle_api.headers(Role.AUDITOR)
    forbidden = await lifecycle_api.client.post(f"{CAL}/notices", json=notice, headers=clerk)
    assert forbidden.status_code == 403
    recorded = await lifecycle_api.client.post(f"{CAL}/notices", json=notice, headers=headers)
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["official"] is True
    deadline = await lifecycle_api.client.get(
        f"{CAL}/deadline", params={"start": "2026-12-28", "working_days": 5}, headers=headers
    )
    assert deadline.json()["ends_on"] == "2027-01-04"  # 12/28–12/31, then 1/1 off, 1/4

    amended = await lifecycle_api.client.post(
        f"{CAL}/notices",
        json={**notice, "days_off": ["2027-01-01", "2027-01-04"]},
        headers=headers,
    )
    assert amended.json()["days_off"] == ["2027-01-01", "2027-01-04"]


async def test_a_malformed_notice_names_the_dates(lifecycle_api: Api) -> None:
    response = await lifecycle_api.client.post(
        f"{CAL}/notices",
        json={"year": 2027, "days_off": [], "workdays": ["2027-01-04"], "source": "x"},
        headers=lifecycle_api.headers(),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "calendar.workday_not_weekend"
    assert response.json()["dates"] == ["2027-01-04"]
