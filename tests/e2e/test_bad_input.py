"""A corpus of bad input against every operation of every service, as an attacker sends it.

Deep nesting, huge numbers, control characters, invalid UTF-8, wrong types and far dates, in
cursors, query parameters, path segments, headers and every field of every body. Whatever the
input, the answer is no server error, every refusal is an RFC 9457 problem, and afterwards
every service is ready, every follower has caught up, and nothing was dead-lettered.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from e2e_support import Cluster, wait_until
from jiceng.auth.principal import Role
from openapi_walk import Ids, Operation, operations, request_for
from outside_in import World, build, caught_up, token

pytestmark = pytest.mark.e2e

DATE_PARAMS = ("on", "as_of", "start", "first", "last", "at")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


CURSORS = [
    b64(b"[" * 5000 + b"]" * 5000),  # nested 5,000 deep
    b64(json.dumps(["a\u0000", "b"]).encode()),
    b64(json.dumps([2**70]).encode()),
    b64(json.dumps(["only one"]).encode()),
    b64(json.dumps({"not": "a list"}).encode()),
    "A" * 10_000,
    "%%%",
]
DATES = ["9999-12-31", "0001-01-01", "0", "6.5e-94", "2026-02-30", "2026-1-1", "１９９０-01-01"]
TEXTS = ["a\u0000b", "\ud800", "\u001b[31m", "x" * 100_000, "", " "]
NUMBERS: list[Any] = [2**31, 2**63, 10**30, -1, 1.5, "1", True, None]
DATE_VALUES: list[Any] = ["9999-12-31", "0", 0, 6.5e-94, "2026-02-30", "2026-10-08T00:00:00"]


@pytest.fixture(scope="module")
def world(cluster: Cluster) -> World:
    return build(cluster)


def targets(world: World) -> Ids:
    return Ids(world.b_root, world.b_branch, world.b_person, world.b_unit, world.b_venue)


def as_json(method: str, body: Any) -> dict[str, Any]:
    """A request whose body is ``body`` as JSON with \\u escapes (a lone surrogate included,
    which a UTF-8 encoder would refuse to send)."""
    if body is None:
        return {"method": method}
    content = json.dumps(body).encode("ascii")
    return {"method": method, "content": content, "headers": {"content-type": "application/json"}}


def query_cases(op: Operation, ids: Ids) -> Iterator[tuple[str, dict[str, Any]]]:
    """Requests with one bad query parameter each (raw query strings, as sent on the wire)."""
    method, path, query, body = request_for(op, ids)
    base = "&".join(f"{k}={httpx.QueryParams({k: v})[k]}" for k, v in query.items())
    names = {p["name"] for p in op.parameters if p["in"] == "query"}
    bad: list[str] = []
    if "cursor" in names:
        bad += [f"cursor={c}" for c in CURSORS]
    for name in names & set(DATE_PARAMS):
        bad += [f"{name}={d}" for d in DATES]
    for name in names:
        bad += [f"{name}=a%00", f"{name}=%ff%fe", f"{name}=" + "9" * 5000]
    bad += ["limit=0", "limit=1e9", "limit=-1", "%ff=1"]
    for extra in bad:
        yield f"{path}?{'&'.join(filter(None, [base, extra]))}", as_json(method, body)


def body_cases(op: Operation, ids: Ids) -> Iterator[tuple[str, dict[str, Any]]]:
    """Requests whose body is bad as a whole, or in one field at a time."""
    method, path, query, body = request_for(op, ids)
    url = httpx.URL(path, params=query)
    raw = {"method": method, "headers": {"content-type": "application/json"}}
    for content in (
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"\xff\xfe{}",
        b"{not json",
        b'{"n": NaN}',
        b'{"n": ' + b"9" * 5000 + b"}",
        b'{"n": 1e999}',
    ):
        yield str(url), {**raw, "content": content}
    if not isinstance(body, dict):
        return
    for field, value in body.items():
        variants: list[Any]
        if isinstance(value, bool):
            variants = ["true", 2, None]
        elif isinstance(value, int):
            variants = NUMBERS
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
            variants = DATE_VALUES
        elif isinstance(value, str):
            variants = TEXTS
        elif isinstance(value, list):
            variants = [["x"] * 10_000, [None], "not a list"]
        else:
            variants = [{"\u0000": 1}, [], "x"]
        for variant in variants:
            yield str(url), as_json(method, {**body, field: variant})
    yield str(url), as_json(method, {**body, "unexpected\u0000": 1})


def check(answer: httpx.Response, what: str, failures: list[str]) -> None:
    if answer.status_code >= 500:
        failures.append(f"{what} → {answer.status_code} {answer.text[:200]}")
    elif not answer.is_success and "problem+json" not in answer.headers.get("content-type", ""):
        failures.append(f"{what} → {answer.status_code} not a problem: {answer.text[:100]}")


def test_bad_input_gets_a_problem_and_breaks_nothing(cluster: Cluster, world: World) -> None:
    ids = targets(world)
    bearer = token(cluster, Role.PLATFORM_ADMIN, None)
    failures: list[str] = []
    headers = {"Authorization": f"Bearer {bearer}"}
    with httpx.Client(base_url=cluster.gateway, timeout=60, headers=headers) as client:
        ops = operations(client)
        for op in ops:
            for url, request in query_cases(op, ids):
                check(
                    client.request(url=url, **request), f"{op.operation_id} {url[:120]}", failures
                )
            if op.body is None:
                continue
            for url, request in body_cases(op, ids):
                what = f"{op.operation_id} {request.get('content', b'')[:80]!r}"
                check(client.request(url=url, **request), what, failures)
        for op in ops:
            if op.method != "POST":
                continue
            method, path, query, body = request_for(op, ids)
            for if_match in ("9" * 4300, '"-1"', '"１"', 'W/"x"', "\u00e9"):
                request = as_json(method, body)
                headers = {
                    **request.pop("headers", {}),
                    "If-Match": if_match.encode(),
                }
                answer = client.request(
                    url=httpx.URL(path, params=query), headers=headers, **request
                )
                check(answer, f"{op.operation_id} If-Match {if_match[:10]}", failures)
        caught_up(client)
        for service in ("org-registry", "member-lifecycle", "assessment", "funding"):
            ready = client.get(f"/{service}/readyz").json()
            assert ready["status"] == "ready", ready
            stuck = {
                n: c
                for n, c in ready["consumers"].items()
                if c["dead_letters"] or c["state"] == "failing"
            }
            assert stuck == {}, (service, stuck)
            dead = client.get(f"/{service}/v1/consumers/dead-letters").json()["items"]
            assert dead == [], (service, dead)
    assert failures == [], "\n".join(failures[:50])


def test_headers_and_paths_an_attacker_sends(cluster: Cluster, world: World) -> None:
    bearer = token(cluster, Role.PLATFORM_ADMIN, None)
    failures: list[str] = []
    with httpx.Client(base_url=cluster.gateway, timeout=30) as client:
        get = f"/org-registry/v1/organisations/{world.b_root}"
        for name, value in (
            (b"X-Request-ID", "é\r".encode("latin-1")[:1]),
            (b"Accept-Language", b"\xe4\xb8\xad\xe6\x96\x87"),
            (b"X-Correlation-ID", b"\xff" * 200),
            (b"Idempotency-Key", b"k" * 10_000),
            (b"X-Custom", b"\xc3\xa9\xff"),
        ):
            answer = client.get(
                get, headers=[(b"Authorization", f"Bearer {bearer}".encode()), (name, value)]
            )
            check(answer, f"header {name!r}", failures)
        for path in (
            "/org-registry/v1/organisations/%00",
            "/org-registry/v1/organisations/%ff%fe",
            "/org-registry/v1/organisations/" + "a" * 10_000,
            "/member-lifecycle/v1/people/..%2f..%2fetc%2fpasswd",
            "/member-lifecycle/v1/people/1e9999",
            "/org-registry/v1/organisations/x%0Ay",
            "/no-such-service/x%0D%0Ay",
        ):
            answer = client.get(path, headers={"Authorization": f"Bearer {bearer}"})
            check(answer, f"path {path[:60]}", failures)
        for method in ("PROPFIND", "TRACE", "DELETE"):
            answer = client.request(method, get, headers={"Authorization": f"Bearer {bearer}"})
            check(answer, f"method {method}", failures)
            if answer.status_code == 405 and answer.headers.get("allow") != "GET":
                failures.append(f"{method}: Allow {answer.headers.get('allow')}")
        # The gateway passes on an upstream's answer and keeps serving the next request.
        wait_until(lambda: client.get("/org-registry/healthz").status_code == 200, what="up")
    assert failures == [], "\n".join(failures)
