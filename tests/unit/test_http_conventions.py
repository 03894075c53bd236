"""Problems (RFC 9457), ETag/If-Match, idempotency and cursor paging, over the real app."""

from __future__ import annotations

import asyncio
import base64
from datetime import date
from pathlib import Path

import httpx
import pytest

from jiceng.api.concurrency import parse_if_match
from jiceng.api.idempotency import IdempotencyStore
from jiceng.api.language import prefers_english
from jiceng.api.pagination import decode_cursor, encode_cursor
from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.errors import InvalidInput
from jiceng.eventlog.records import read_page
from jiceng.settings import Settings
from support import TODAY, Api

ORGS = "/org-registry/v1/organisations"


async def test_problem_shape_in_chinese_by_default(org_api: Api) -> None:
    response = await org_api.client.get(
        f"{ORGS}/00000000-0000-0000-0000-000000000001", headers=org_api.headers()
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "resource.not_found"
    assert body["title"] == "资源不存在"
    assert body["status"] == 404
    assert body["type"].endswith("/resource.not_found")
    assert body["instance"] == f"{ORGS}/00000000-0000-0000-0000-000000000001"
    assert body["request_id"] == response.headers["x-request-id"]


async def test_problem_in_english_when_asked(org_api: Api) -> None:
    response = await org_api.client.post(
        ORGS,
        json={"name": "", "org_type": "nonsense", "domain": "rural"},
        headers=org_api.headers(**{"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "request.invalid"
    assert body["title"] == "Invalid request"
    assert {e["location"] for e in body["errors"]} == {"body.name", "body.org_type"}
    assert response.headers["content-language"] == "en"


async def test_unknown_route_is_a_problem_too(org_api: Api) -> None:
    response = await org_api.client.get("/org-registry/v1/nothing", headers=org_api.headers())
    assert response.status_code == 404
    assert response.json()["code"] == "route.not_found"


def test_accept_language_preference() -> None:
    assert prefers_english("en")
    assert prefers_english("zh;q=0.3, en-US")
    assert not prefers_english("zh-CN,zh;q=0.9,en;q=0.8")
    assert not prefers_english(None)
    assert not prefers_english("fr")


async def test_etag_and_if_match(org_api: Api) -> None:
    org = await org_api.establish("党支部")
    url = f"{ORGS}/{org['id']}"
    got = await org_api.client.get(url, headers=org_api.headers())
    assert got.headers["etag"] == '"1"'
    renamed = await org_api.client.post(
        f"{url}/renaming", json={"name": "新名"}, headers=org_api.headers(**{"If-Match": '"1"'})
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.headers["etag"] == '"2"'
    stale = await org_api.client.post(
        f"{url}/renaming", json={"name": "又一名"}, headers=org_api.headers(**{"If-Match": '"1"'})
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "concurrency.stale_version"
    assert (stale.json()["expected"], stale.json()["current"]) == (1, 2)
    assert (await org_api.client.get(url, headers=org_api.headers())).json()["name"] == "新名"


def test_if_match_parsing() -> None:
    assert parse_if_match('"3"') == 3
    assert parse_if_match('W/"3"') == 3
    assert parse_if_match("*") is None
    assert parse_if_match(None) is None
    with pytest.raises(InvalidInput):
        parse_if_match('"abc"')


async def test_same_idempotency_key_and_body_replays_the_first_response(org_api: Api) -> None:
    headers = org_api.headers(**{"Idempotency-Key": "k-1"})
    body = {"name": "党支部", "org_type": "committee", "domain": "rural"}
    first = await org_api.client.post(ORGS, json=body, headers=headers)
    second = await org_api.client.post(ORGS, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert await org_api.runtime.orgtree.count() == 1  # one organisation, not two


async def test_same_idempotency_key_with_another_body_is_refused(org_api: Api) -> None:
    headers = org_api.headers(**{"Idempotency-Key": "k-2"})
    await org_api.client.post(
        ORGS, json={"name": "甲", "org_type": "committee", "domain": "rural"}, headers=headers
    )
    other = await org_api.client.post(
        ORGS, json={"name": "乙", "org_type": "committee", "domain": "rural"}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency.key_reused"
    assert await org_api.runtime.orgtree.count() == 1


def _established(api: Api) -> int:
    """Organisations established in the log itself (not in a read model)."""
    page = read_page(api.runtime.log, after=0, limit=1000)
    return sum(1 for e in page.events if e.type == "Organisation.Established")


async def test_a_retry_after_the_answer_was_lost_gives_the_first_outcome(
    org_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first try commits and answers, but its response is never kept (the process died
    between the commit and keeping it): the retry answers with the same organisation."""

    async def lost(self: IdempotencyStore, response: object) -> None:
        raise OSError("killed before the response was kept")

    monkeypatch.setattr(IdempotencyStore, "keep", lost)
    headers = org_api.headers(**{"Idempotency-Key": "k-lost"})
    body = {"name": "甲", "org_type": "committee", "domain": "rural"}
    first = await org_api.client.post(ORGS, json=body, headers=headers)
    second = await org_api.client.post(ORGS, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["etag"] == first.headers["etag"]
    assert _established(org_api) == 1


async def test_a_retry_after_a_5xx_that_followed_the_commit_does_not_run_twice(
    settings: Settings, tokens: TokenService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from org_registry.bootstrap import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            api = Api(client, runtime, tokens)
            waits = 0
            real = runtime.read_your_writes

            async def failing_once(position: int, timeout: float = 5.0) -> None:
                nonlocal waits
                waits += 1
                if waits == 1:
                    raise ConnectionError("the read model's database went away")
                await real(position, timeout)

            monkeypatch.setattr(runtime, "read_your_writes", failing_once)
            headers = api.headers(**{"Idempotency-Key": "k-5xx"})
            body = {"name": "乙", "org_type": "committee", "domain": "rural"}
            first = await client.post(ORGS, json=body, headers=headers)
            second = await client.post(ORGS, json=body, headers=headers)
            assert first.status_code == 503  # storage.unavailable, after the commit
            assert second.status_code == 201
            assert _established(api) == 1
            third = await client.post(ORGS, json=body, headers=headers)
            assert third.json() == second.json()
            assert third.headers["idempotent-replayed"] == "true"


async def test_tries_at_the_same_time_commit_once(org_api: Api) -> None:
    headers = org_api.headers(**{"Idempotency-Key": "k-race"})
    body = {"name": "丙", "org_type": "committee", "domain": "rural"}
    answers = await asyncio.gather(
        *(org_api.client.post(ORGS, json=body, headers=headers) for _ in range(4))
    )
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert _established(org_api) == 1


async def test_long_keys_that_share_a_prefix_do_not_collide(org_api: Api) -> None:
    prefix = "k" * 400
    body = {"name": "丁", "org_type": "committee", "domain": "rural"}
    for suffix in ("-a", "-b"):
        headers = org_api.headers(**{"Idempotency-Key": prefix + suffix})
        assert (await org_api.client.post(ORGS, json=body, headers=headers)).status_code == 201
    assert _established(org_api) == 2


async def test_keys_are_per_caller(org_api: Api) -> None:
    body = {"name": "甲", "org_type": "committee", "domain": "rural"}
    first = org_api.headers(**{"Idempotency-Key": "shared"})
    other_caller = {
        "Authorization": "Bearer " + org_api.tokens.mint("bob", [Role.PLATFORM_ADMIN]),
        "Idempotency-Key": "shared",
    }
    assert (await org_api.client.post(ORGS, json=body, headers=first)).status_code == 201
    assert (await org_api.client.post(ORGS, json=body, headers=other_caller)).status_code == 201
    assert await org_api.runtime.orgtree.count() == 2


async def test_children_pages_cover_every_child_once_in_name_order(org_api: Api) -> None:
    root = await org_api.establish("党委", org_type="committee")
    names = [f"支部{n:02d}" for n in range(7)]
    for name in reversed(names):
        await org_api.establish(name, parent_id=root["id"])
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (
            await org_api.client.get(
                f"{ORGS}/{root['id']}/children", params=params, headers=org_api.headers()
            )
        ).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == names


async def test_a_malformed_cursor_is_a_clear_error(org_api: Api) -> None:
    root = await org_api.establish("党委", org_type="committee")
    response = await org_api.client.get(
        f"{ORGS}/{root['id']}/children", params={"cursor": "!!!"}, headers=org_api.headers()
    )
    assert response.status_code == 422
    assert response.json()["code"] == "request.malformed_cursor"


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor(["党支部", "id-1"]), (str, str)) == ["党支部", "id-1"]
    assert decode_cursor(None, (str, str)) is None
    assert decode_cursor(encode_cursor(["2026-10-08", 7]), (date, int)) == [date(2026, 10, 8), 7]


@pytest.mark.parametrize(
    "key",
    [
        ["only one"],
        ["a", "b", "c"],
        [1, "b"],
        ["a\x00", "b"],
        ["a", 2**70],
        [True, "b"],
        ["x" * 501, "b"],
        "not a list",
    ],
)
def test_a_cursor_this_server_could_not_have_made_is_refused(key: object) -> None:
    shape: tuple[type, ...] = (
        (str, int) if isinstance(key, list) and key[-1:] == [2**70] else (str, str)
    )
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(encode_cursor(key), shape)  # type: ignore[arg-type]
    assert refused.value.code == "request.malformed_cursor"


def test_a_deeply_nested_or_huge_cursor_is_refused() -> None:
    deep = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode()
    for cursor in (deep, "A" * 10_000):
        with pytest.raises(InvalidInput):
            decode_cursor(cursor, (str, str))


async def test_openapi_documents_errors_and_stable_operation_ids(org_api: Api) -> None:
    spec = (await org_api.client.get("/org-registry/openapi.json")).json()
    establish = spec["paths"]["/org-registry/v1/organisations"]["post"]
    assert establish["operationId"] == "establish_organisation"
    assert {"401", "403", "404", "409", "422", "503"} <= set(establish["responses"])
    problem = establish["responses"]["422"]["content"]["application/problem+json"]
    assert problem["schema"]["$ref"] == "#/components/schemas/Problem"
    assert "Problem" in spec["components"]["schemas"]
    assert (await org_api.client.get("/org-registry/docs")).status_code == 200


async def test_storage_outage_is_a_503_problem(org_api: Api, tmp_path: Path) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    # The read-model database goes away: the runtime's engine is replaced by one whose file
    # cannot be opened, so the scope check's read of the org tree fails as in an outage.
    org_api.runtime.db.engine = create_async_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'no-such-directory' / 'read-models.db'}"
    )
    response = await org_api.client.get(
        f"{ORGS}/00000000-0000-0000-0000-000000000001", headers=org_api.headers()
    )
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "storage.unavailable"
    assert response.headers["retry-after"] == "5"


async def test_a_routes_default_date_is_the_clock_the_composition_root_was_given(
    org_api: Api,
) -> None:
    org = await org_api.establish("党委")
    response = await org_api.client.get(f"{ORGS}/{org['id']}/policy", headers=org_api.headers())
    assert response.status_code == 200
    assert response.json()["on"] == TODAY.isoformat()
