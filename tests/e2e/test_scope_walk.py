"""Every operation of every service, tried with tokens scoped elsewhere.

A principal scoped to tree A (an organisation admin, a machine client) and a member token
(whose ``org`` claim points into tree B) call each operation with tree B's ids. None of them
may succeed, except reading reference data; no answer may hold a name, an identity number, a
phone or a birth date from tree B; and what is out of scope answers exactly as what does not
exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from e2e_support import Cluster
from jiceng.auth.principal import Role
from openapi_walk import GLOBAL_READS, Ids, Operation, operations, request_for
from outside_in import SECRET_NAME, World, build, token

pytestmark = pytest.mark.e2e

#: Operations a member may call on their own record.
OWN_RECORD = frozenset(
    {"get_person", "get_person_record", "get_person_timeline", "list_disclosures"}
)


@pytest.fixture(scope="module")
def world(cluster: Cluster) -> World:
    return build(cluster)


@pytest.fixture(scope="module")
def ops(cluster: Cluster) -> list[Operation]:
    with httpx.Client(base_url=cluster.gateway, timeout=30) as client:
        return operations(client)


def b_ids(world: World) -> Ids:
    return Ids(world.b_root, world.b_branch, world.b_person, world.b_unit, world.b_venue)


def principals(cluster: Cluster, world: World) -> Iterator[tuple[str, str]]:
    yield "org_admin of A", token(cluster, Role.ORG_ADMIN, world.a_root)
    yield "system scoped to A", token(cluster, Role.SYSTEM, world.a_root)
    yield (
        "member with an org claim in B",
        token(cluster, Role.MEMBER, world.b_branch, subject=world.a_person),
    )


def call(client: httpx.Client, bearer: str, op: Operation, ids: Ids) -> httpx.Response:
    method, path, query, body = request_for(op, ids)
    return client.request(
        method, path, params=query, json=body, headers={"Authorization": f"Bearer {bearer}"}
    )


def test_nothing_of_tree_b_reaches_a_caller_scoped_elsewhere(
    cluster: Cluster, world: World, ops: list[Operation]
) -> None:
    failures: list[str] = []
    with httpx.Client(base_url=cluster.gateway, timeout=30) as client:
        for who, bearer in principals(cluster, world):
            for op in ops:
                answer = call(client, bearer, op, b_ids(world))
                where = f"{who}: {op.method} {op.path} → {answer.status_code}"
                if answer.is_success and op.operation_id not in GLOBAL_READS:
                    failures.append(f"{where} succeeded")
                if answer.status_code >= 500:
                    failures.append(f"{where} {answer.text[:200]}")
                leaked = [s for s in world.secrets if s in answer.text]
                if leaked:
                    failures.append(f"{where} holds {leaked}")
                if not answer.is_success and "problem+json" not in answer.headers.get(
                    "content-type", ""
                ):
                    failures.append(f"{where} is not a problem")
    assert failures == []


def _shape(answer: httpx.Response, ids: list[str]) -> Any:
    """The answer with the ids the request named, the request id and the path taken out."""
    text = answer.text
    for value in ids:
        text = text.replace(value, "<id>")
    body = httpx.Response(200, content=text.encode()).json()
    if isinstance(body, dict):
        body.pop("request_id", None)
        body.pop("instance", None)
    return answer.status_code, body


def test_out_of_scope_answers_as_does_not_exist(
    cluster: Cluster, world: World, ops: list[Operation]
) -> None:
    unknown = Ids(*(str(uuid.uuid4()) for _ in range(5)))
    real = b_ids(world)
    bearer = token(cluster, Role.ORG_ADMIN, world.a_root)
    differing = []
    with httpx.Client(base_url=cluster.gateway, timeout=30) as client:
        for op in ops:
            if not (op.has_ids or op.body):
                continue
            seen = _shape(call(client, bearer, op, real), list(vars(real).values()))
            absent = _shape(call(client, bearer, op, unknown), list(vars(unknown).values()))
            if seen != absent:
                differing.append(f"{op.method} {op.path}: {seen} != {absent}")
    assert differing == [], "\n".join(differing)


def test_a_member_reads_their_own_record_and_nothing_else(
    cluster: Cluster, world: World, ops: list[Operation]
) -> None:
    own = Ids(world.a_root, world.a_branch, world.a_person, world.b_unit, world.b_venue)
    bearer = token(cluster, Role.MEMBER, world.a_branch, subject=world.a_person)
    succeeded = set()
    with httpx.Client(base_url=cluster.gateway, timeout=30) as client:
        for op in ops:
            answer = call(client, bearer, op, own)
            assert answer.status_code < 500, (op.path, answer.text)
            if answer.is_success:
                succeeded.add(op.operation_id)
    assert succeeded - GLOBAL_READS == OWN_RECORD


def test_no_read_gives_a_sealed_value_back_even_in_scope(
    cluster: Cluster, world: World, ops: list[Operation]
) -> None:
    """Staff of tree B, an auditor and an unscoped feed reader read everything about B's
    person, the feed and the audit history included: the name, yes; the whole ID number, its
    birth date, the phone, no (only a disclosure shows those, and records that it did)."""
    sealed = [s for s in world.secrets if s not in world.b_names and s != SECRET_NAME]
    readers = [
        token(cluster, Role.ORG_ADMIN, world.b_root),
        token(cluster, Role.AUDITOR, None),
        token(cluster, Role.SYSTEM, None),
    ]
    found = []
    with httpx.Client(base_url=cluster.gateway, timeout=30) as client:
        for bearer in readers:
            for op in ops:
                if op.method != "GET":
                    continue
                answer = call(client, bearer, op, b_ids(world))
                leaked = [s for s in sealed if s in answer.text]
                if leaked:
                    found.append(f"{op.operation_id}: {leaked}")
    assert found == []
