"""What no read model could hold is refused before any route runs, as a clear problem."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from fastapi import APIRouter

from jiceng.api.app import create_api
from jiceng.eventlog.storage import Storage
from jiceng.settings import Settings
from org_registry.bootstrap import service as org_registry
from support import Api

ORGS = "/org-registry/v1/organisations"


async def post_raw(api: Api, path: str, content: bytes) -> httpx.Response:
    headers = {**api.headers(), "content-type": "application/json"}
    return await api.client.post(path, content=content, headers=headers)


def establish(name: str) -> bytes:
    body = {"name": name, "org_type": "committee", "domain": "rural"}
    return json.dumps(body).encode("ascii")  # \u escapes, as JSON encoders write them


@pytest.mark.parametrize(
    ("name", "character"),
    [("a\u0000b", "U+0000"), ("\u001b[31m党委", "U+001B"), ("党委\ud800", "U+D800")],
)
async def test_control_characters_and_lone_surrogates_in_a_body_are_refused(
    org_api: Api, name: str, character: str
) -> None:
    answer = await post_raw(org_api, ORGS, establish(name))
    problem = answer.json()
    assert (answer.status_code, problem["code"]) == (422, "request.control_character")
    assert (problem["location"], problem["character"]) == ("body.name", character)
    assert answer.headers["content-type"] == "application/problem+json"


async def test_line_breaks_are_free_text_not_names(org_api: Api) -> None:
    root = await org_api.establish("党委", org_type="committee")
    answer = await org_api.client.post(
        f"{ORGS}/{root['id']}/renaming",
        json={"name": "某党委", "reason": "第一行\n第二行\t（更名）"},
        headers=org_api.headers(),
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"[" * 5000 + b"]" * 5000, 400, "request.too_deep"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, 400, "request.too_deep"),
        (b"\xff\xfe{}", 400, "request.invalid_encoding"),
        (b"{not json", 400, "request.malformed_body"),
        (b'{"name": NaN}', 400, "request.malformed_body"),
        (b'{"name": ' + b"9" * 5000 + b"}", 400, "request.malformed_body"),
        (b'{"name": 1e999}', 422, "request.number_out_of_range"),
        (b'{"name": 9223372036854775808}', 422, "request.number_out_of_range"),
    ],
)
async def test_malformed_bodies_are_clear_problems(
    org_api: Api, content: bytes, status: int, code: str
) -> None:
    answer = await post_raw(org_api, ORGS, content)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    english = await org_api.client.post(
        ORGS,
        content=content,
        headers={**org_api.headers(), "Accept-Language": "en", "content-type": "application/json"},
    )
    assert english.json()["title"].isascii()


async def test_a_body_over_a_mebibyte_is_refused(org_api: Api) -> None:
    answer = await post_raw(org_api, ORGS, b'{"name": "' + b"a" * (1 << 20) + b'"}')
    assert (answer.status_code, answer.json()["code"]) == (413, "request.body_too_large")


@pytest.mark.parametrize(
    "query",
    ["q=a%00", "q=%ff%fe", "q=%1b", "cursor=%00", "%ff=1"],
)
async def test_bad_query_strings_are_refused(org_api: Api, query: str) -> None:
    root = await org_api.establish("党委", org_type="committee")
    answer = await org_api.client.get(
        f"{ORGS}/{root['id']}/search?{query}", headers=org_api.headers()
    )
    assert answer.status_code in (400, 422)
    assert answer.json()["code"] in ("request.control_character", "request.invalid_encoding")


@pytest.mark.parametrize(
    "on", ["0", "6.5e-94", "9999-12-31", "1899-12-31", "2026-02-30", "2026-1-1"]
)
async def test_dates_are_iso_and_in_range(org_api: Api, on: str) -> None:
    root = await org_api.establish("党委", org_type="committee")
    answer = await org_api.client.get(
        f"{ORGS}/{root['id']}/elections-due", params={"on": on}, headers=org_api.headers()
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "request.invalid")


async def test_a_huge_if_match_is_malformed_not_a_crash(org_api: Api) -> None:
    root = await org_api.establish("党委", org_type="committee")
    answer = await org_api.client.post(
        f"{ORGS}/{root['id']}/renaming",
        json={"name": "新名"},
        headers={**org_api.headers(), "If-Match": '"' + "9" * 4300 + '"'},
    )
    assert (answer.status_code, answer.json()["code"]) == (
        422,
        "concurrency.precondition_malformed",
    )


async def test_a_wrong_method_says_which_are_allowed(org_api: Api) -> None:
    answer = await org_api.client.delete(ORGS, headers=org_api.headers())
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    assert answer.json()["code"] == "method.not_allowed"


async def test_metrics_are_documented_as_text(org_api: Api) -> None:
    spec = (await org_api.client.get("/org-registry/openapi.json")).json()
    assert set(spec["paths"]["/org-registry/metrics"]["get"]["responses"]["200"]["content"]) == {
        "text/plain"
    }
    metrics = await org_api.client.get("/org-registry/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    establish_op = spec["paths"]["/org-registry/v1/organisations"]["post"]
    assert {"400", "413", "422"} <= set(establish_op["responses"])


async def test_an_unexpected_error_is_a_problem_and_is_not_raised_again(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    boom = APIRouter()

    @boom.get("/boom", name="boom")
    async def explode() -> None:
        msg = "张三 1990-03-07 in a driver's message"
        raise RuntimeError(msg)

    runtime = org_registry.build_runtime(settings, Storage.memory("org-registry"))
    app = create_api(runtime, [boom], title="t", description="d")
    # raise_app_exceptions: an error the app re-raised after its 500 would fail this client.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        with caplog.at_level(logging.ERROR):
            answer = await client.get("/org-registry/v1/boom")
    assert (answer.status_code, answer.json()["code"]) == (500, "internal.error")
    assert answer.headers["content-type"] == "application/problem+json"
    logged = caplog.text
    assert "RuntimeError" in logged and "张三" not in logged and "1990" not in logged


async def test_a_request_id_is_taken_only_when_it_is_plain(org_api: Api) -> None:
    plain = await org_api.client.get("/org-registry/healthz", headers={"X-Request-ID": "abc-123"})
    assert plain.headers["x-request-id"] == "abc-123"
    odd = await org_api.client.get("/org-registry/healthz", headers={"X-Request-ID": "a b\tc"})
    assert odd.headers["x-request-id"] != "a b\tc"


async def test_a_name_is_one_line(org_api: Api) -> None:
    answer = await org_api.client.post(
        ORGS,
        json={"name": "某\n党委", "org_type": "committee", "domain": "rural"},
        headers=org_api.headers(),
    )
    assert (answer.status_code, answer.json()["code"]) == (
        422,
        "organisation.name_not_single_line",
    )
