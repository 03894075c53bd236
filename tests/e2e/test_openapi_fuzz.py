"""Schemathesis against each service's own OpenAPI, in process over ASGI, as a platform admin.

For every operation of org-registry, member-lifecycle, assessment and funding, schemathesis sends
requests generated from the published schema (examples, coverage cases, then random ones; valid and
invalid data) and checks that the service never answers 5xx, answers only documented statuses, with
a documented content type, and with a body that matches the documented schema.

The four apps run in this process, on in-memory storage (like ``org_api`` in tests/conftest.py),
and are sent each case over ASGI. Before anything is sent they get the demo data of
``jiceng up --demo`` over HTTP (org-registry's tree, packs, terms, host units and venues, then
people at every stage of the path), with each service's followers of another service's feed
pointed at that app and caught up by hand. Path ids and id fields of bodies are then drawn half the
time from those real things, so requests get past the 404s into the rules; dates are drawn half the
time from the edges of the calendar.

``test_edge_values_keep_the_contract`` sends, once each, year-1 / year-9999 / offset-less dates and
date-times and a 2**63 integer to every query parameter that may hold them: random generation
seldom gets there.

Knobs (environment):

- ``FUZZ_MAX_EXAMPLES``: random examples per operation (default 20; coverage cases come on top).
- ``FUZZ_ALL_CHECKS=1``: run every check schemathesis enables by default, not only the four.
- ``FUZZ_REPORT=path.json``: keep going after a failure and collect every distinct one. The file
  lists them (operation, check, status, body, curl) and how often each operation answered each
  status; the fixture then fails at teardown with the summary. Without it, an operation stops at
  its first failing case (pytest's usual way).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.python import asgi as st_asgi

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.eventlog.storage import Storage
from jiceng.followers import HttpFeedSource
from jiceng.settings import Settings
from path_support import resident_id

SERVICES = {
    "org-registry": "org_registry",
    "member-lifecycle": "member_lifecycle",
    "assessment": "assessment",
    "funding": "funding",
}
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "20"))
REPORT = os.environ.get("FUZZ_REPORT")

#: The checks this harness holds the services to (everything else schemathesis offers is off).
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
ALL_CHECKS = os.environ.get("FUZZ_ALL_CHECKS") == "1"
CONFIG = schemathesis.Config.from_dict(
    {
        # FUZZ_ALL_CHECKS=1: every check schemathesis has on by default, for exploring.
        "checks": {}
        if ALL_CHECKS
        else {"enabled": False, **{c: {"enabled": True} for c in CHECKS}},
        # No `.hypothesis` or schemathesis cache in the work tree.
        "generation": {"database": "none"},
    }
)

#: Body fields that name an organisation (both services' request schemas).
ORG_FIELDS = frozenset(
    {
        "org_id",
        "parent_id",
        "into_id",
        "managing_org_id",
        "branch_id",
        "approver_org_id",
        "to_org_id",
    }
)
#: Longest long-poll the harness lets a feed request ask for (the schema allows 60 s).
FEED_WAIT_CAP = 0.2


@dataclass
class Seeded:
    """Real things, for path ids and body fields to point at (filled by the ``running`` fixture)."""

    orgs: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    streams: list[str] = field(default_factory=list)
    correlations: list[str] = field(default_factory=list)
    #: Valid 身份证号 nobody has registered yet (a second draw of one is a duplicate).
    resident_ids: list[str] = field(
        default_factory=lambda: [resident_id(date(1995, 6, 1), n) for n in range(100, 110)]
    )

    def pools(self) -> dict[str, list[Any]]:
        return {
            "org_id": self.orgs,
            "person_id": self.people,
            "unit_id": self.units,
            "venue_id": self.venues,
            "stream_id": self.streams,
            "correlation_id": self.correlations,
            "year": [2025, 2026],
        }


# --- running the apps on schemathesis's event loop ---------------------------------------------


class StartedOnce:
    """The app as schemathesis reaches it: its lifespan runs once for the whole module.

    schemathesis's pytest plugin ends an ASGI app's lifespan after every test item (one item per
    operation here) and starts it again for the next. A service runtime is not restarted between
    requests in real life, so this wrapper runs the real lifespan in a task of its own on the first
    startup, answers later startups and shutdowns itself, and ends the real lifespan only once
    ``closing`` is set. It also remembers the loop, for the seeding client (``Bridge``).
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.closing = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = self._stop = None  # type: asyncio.Event | None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self._start()
                except Exception as error:
                    await send({"type": "lifespan.startup.failed", "message": repr(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.closing and self._task is not None:
                    assert self._stop is not None
                    self._stop.set()
                    await self._task
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _start(self) -> None:
        if self._task is None:
            self.loop = asyncio.get_running_loop()
            self._ready, self._stop = asyncio.Event(), asyncio.Event()
            self._task = self.loop.create_task(self._run())
        assert self._ready is not None
        await self._ready.wait()
        if self._task.done():
            self._task.result()  # the startup failed: raise it

    async def _run(self) -> None:
        assert self._ready is not None and self._stop is not None
        try:
            async with self.app.router.lifespan_context(self.app):
                self._ready.set()
                await self._stop.wait()
        finally:
            self._ready.set()

    def run(self, coroutine: Any) -> Any:
        """Run ``coroutine`` on the app's loop, from the test's thread."""
        assert self.loop is not None, "the app has not been started"
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=120)


class Bridge(httpx.BaseTransport):
    """A sync httpx transport into an app running on another thread's loop (for the seeding)."""

    def __init__(self, app: StartedOnce) -> None:
        self.app = app
        self.inner = httpx.ASGITransport(app=app.app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> httpx.Response:
            response = await self.inner.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(
                response.status_code, headers=response.headers, content=content, request=request
            )

        result: httpx.Response = self.app.run(send())
        return result


def checked_by(service: str, schema: Any) -> Callable[[httpx.Response], None]:
    """A response hook checking each seeding answer like a fuzzed one, against its operation.

    The demo data walks people through every step of the path, which random data never does.
    """

    def check(response: httpx.Response) -> None:
        response.read()
        response.elapsed = timedelta(0)  # set by the client only later; schemathesis reads it
        request = response.request
        operation = schema.find_operation_by_path(request.method, request.url.path)
        if operation is None:
            return
        SEED_CHECKED[service] += 1
        try:
            operation.Case(query=dict(request.url.params) or None).validate_response(response)
        except FailureGroup as group:
            SEED_FAILURES.extend(
                f"{service} {request.method} {request.url.path} -> {response.status_code}: "
                f"{failure.title}: {failure.message}"
                f"\n    sent: {request.content.decode(errors='replace')[:300]}"
                f"\n    got: {response.text[:300]}"
                for failure in group.exceptions
            )

    return check


#: What the checks found in the responses to the seeding requests, and how many they saw.
SEED_FAILURES: list[str] = []
SEED_CHECKED: Counter[str] = Counter()


@dataclass
class Target:
    service: str
    app: StartedOnce
    seeded: Seeded
    auth: dict[str, str]


# --- seeding: the demo data, and the feeds followed by hand ---------------------------------------


def remote_followers(targets: dict[str, Target]) -> Iterator[tuple[Target, Any]]:
    for target in targets.values():
        for consumer in target.app.app.state.runtime.followers.values():
            if isinstance(consumer.source, HttpFeedSource):
                yield target, consumer


def wire_feeds(targets: dict[str, Target]) -> None:
    """Point each follower of another service's feed at that app, in process.

    (``follow_remote_feeds`` is off, so nothing follows on its own, as in tests/conftest.py;
    ``follow_upstreams`` steps them.)
    """
    for target, consumer in remote_followers(targets):
        upstream = targets[consumer.source.upstream].app.app
        consumer.source.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=upstream))
        WIRED.append((target, consumer.source.client))


def follow_upstreams(targets: dict[str, Target]) -> None:
    for target, consumer in remote_followers(targets):
        target.app.run(consumer.catch_up(timeout=60))


WIRED: list[tuple[Target, httpx.AsyncClient]] = []


def unwire_feeds() -> None:
    while WIRED:
        target, client = WIRED.pop()
        target.app.run(client.aclose())


def read_feed(client: httpx.Client, service: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get(f"/{service}/v1/events", params={"after": after, "limit": 1000})
        assert page.status_code == 200, page.text
        body = page.json()
        events += body["events"]
        if body["next_after"] >= body["head"] or not body["events"]:
            return events
        after = body["next_after"]


def seed(targets: dict[str, Target]) -> None:
    """The demo data of `jiceng up --demo`, loaded over HTTP, then pools of what exists."""
    from member_lifecycle import demo as lifecycle_demo
    from org_registry import demo as org_demo

    clients = {
        name: httpx.Client(
            transport=Bridge(target.app),
            base_url="http://test",
            headers=target.auth,
            event_hooks={"response": [checked_by(name, SCHEMAS[name])]},
        )
        for name, target in targets.items()
    }
    try:
        wire_feeds(targets)
        tree = org_demo.load(clients["org-registry"], {})
        assert not tree["skipped"], tree
        follow_upstreams(targets)
        people = lifecycle_demo.load(clients["member-lifecycle"], {"org-registry": tree})
        assert not people["skipped"], people
        follow_upstreams(targets)
        streams: dict[str, set[str]] = {}
        for name, target in targets.items():
            events = read_feed(clients[name], name)
            target.seeded.streams = sorted({e["stream_id"] for e in events})
            target.seeded.correlations = sorted(
                {e["correlation_id"] for e in events if e.get("correlation_id")}
            )
            for e in events:
                streams.setdefault(e["type"].split(".")[0], set()).add(e["stream_id"])
        orgs = list(tree["ids"].values())  # the root first
        for target in targets.values():
            target.seeded.orgs = orgs
            target.seeded.people = sorted(streams.get("Person", ()))
            target.seeded.units = sorted(streams.get("HostUnit", ()))
            target.seeded.venues = sorted(streams.get("Venue", ()))
    finally:
        for client in clients.values():
            client.close()


# --- pointing generated data at the seeded things ----------------------------------------------


#: Dates at the edges of what a `date` / `date-time` may hold, and a date-time without an offset:
#: random generation rarely gets there (its date-times always carry an offset).
EDGE_DATES = ["0001-01-01", "9999-12-31"]
EDGE_DATETIMES = [
    "2026-06-30T12:00:00",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def real_or_generated(value: Any, pool: list[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(value), st.sampled_from(pool)) if pool else st.just(value)


def pointed(value: Any, key: str | None, seeded: Seeded) -> st.SearchStrategy[Any]:
    """``value`` as generated, or (as often) a seeded id or an edge date in its place."""
    if isinstance(value, dict):
        return st.fixed_dictionaries({k: pointed(v, k, seeded) for k, v in value.items()})
    if isinstance(value, list):
        return st.tuples(*(pointed(v, key, seeded) for v in value)).map(list)
    pool: list[Any] = []
    if key in ORG_FIELDS:
        pool = seeded.orgs
    elif key == "resident_id":
        pool = seeded.resident_ids
    elif isinstance(value, str) and DATE.match(value):
        pool = EDGE_DATES
    elif isinstance(value, str) and DATETIME.match(value):
        pool = EDGE_DATETIMES
    return real_or_generated(value, pool)


def install_hooks(schema: Any, seeded: Seeded) -> None:
    @schema.hook
    def flatmap_path_parameters(
        context: schemathesis.HookContext, path_parameters: dict[str, Any]
    ) -> st.SearchStrategy[dict[str, Any]]:
        if not path_parameters:
            return st.just(path_parameters)
        pools = seeded.pools()
        return st.fixed_dictionaries(
            {k: real_or_generated(v, pools.get(k, [])) for k, v in path_parameters.items()}
        )

    @schema.hook
    def flatmap_query(
        context: schemathesis.HookContext, query: dict[str, Any]
    ) -> st.SearchStrategy[dict[str, Any]]:
        return pointed(query, None, seeded) if query else st.just(query)

    @schema.hook
    def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
        return pointed(body, None, seeded)


def cap_feed_wait(case: schemathesis.Case) -> None:
    """A long-poll of the feed may wait up to 60 s by contract; the harness keeps it short."""
    query = case.query
    if not query or "wait" not in query:
        return
    values = query["wait"] if isinstance(query["wait"], list) else [query["wait"]]
    capped = []
    for value in values:
        try:
            capped.append(min(float(value), FEED_WAIT_CAP))
        except (TypeError, ValueError):
            capped.append(value)  # not a number: the service refuses it at once
    query["wait"] = capped if isinstance(query["wait"], list) else capped[0]


# --- failure collection (FUZZ_REPORT) -------------------------------------------------------------


@dataclass
class Found:
    service: str
    operation: str
    operation_id: str | None
    check: str
    title: str
    message: str
    status: int
    body: str
    curl: str


COLLECTED: dict[tuple[str, str, str, str, int], Found] = {}
#: How each operation answered (service, operation, status) -> count: how deep the run got.
ANSWERS: Counter[tuple[str, str, int]] = Counter()


def record(
    service: str, case: schemathesis.Case, response: Any, failures: list[tuple[str, str, str]]
) -> None:
    """Keep one (the shortest) reproduction per operation, check, failure title and status."""
    status = response.status_code if response is not None else 0
    curl = case.as_curl_command(headers={"Authorization": "Bearer $TOKEN"})
    for check, title, message in failures:
        key = (service, case.operation.label, check, title, status)
        known = COLLECTED.get(key)
        if known is not None and len(known.curl) <= len(curl):
            continue
        COLLECTED[key] = Found(
            service=service,
            operation=case.operation.label,
            operation_id=case.operation.definition.raw.get("operationId"),
            check=check,
            title=title,
            message=message,
            status=status,
            body=response.text[:2000] if response is not None else "",
            curl=curl,
        )


def write_report(path: str) -> None:
    rows = sorted(COLLECTED.values(), key=lambda f: (f.service, f.operation, f.check, f.status))
    answers: dict[str, dict[str, int]] = {}
    for (service, operation, status), count in sorted(ANSWERS.items()):
        answers.setdefault(f"{service} {operation}", {})[str(status)] = count
    report = {"failures": [row.__dict__ for row in rows], "answers": answers}
    Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


# --- the services, their schemas and the tests ------------------------------------------------
#
# The schemas are built at import, from each app's own `openapi()`, because schemathesis's lazy
# `from_fixture` loader does not work under pytest 9.2 (it sets `Node._nodeid`, which is gone).
# Nothing starts at import: the `running` fixture starts every app (lifespan, then the seed) on
# schemathesis's event loop before the first case is drawn, and stops them afterwards.


def clean_settings(data_dir: Path) -> Settings:
    """One settings for the four services (one secret to mint and check tokens with)."""
    with pytest.MonkeyPatch.context() as patch:
        for key in list(os.environ):
            if key.startswith("JICENG_") and key != "JICENG_TEST_POSTGRES_URL":
                patch.delenv(key)
        return Settings(
            env="dev", data_dir=data_dir, feed_wait_seconds=2.0, follow_remote_feeds=False
        )


WORK = tempfile.TemporaryDirectory(prefix="jiceng-fuzz-")
SETTINGS = clean_settings(Path(WORK.name) / "var")
TOKENS = TokenService(SETTINGS)
AUTH = {"Authorization": f"Bearer {TOKENS.mint('fuzzer', [Role.PLATFORM_ADMIN])}"}


def build(service: str) -> tuple[Target, Any]:
    bootstrap = importlib.import_module(f"{SERVICES[service]}.bootstrap")
    read_models = Path(WORK.name) / service
    read_models.mkdir(parents=True)
    app = StartedOnce(bootstrap.create_app(SETTINGS, storage=Storage.memory(service, read_models)))
    seeded = Seeded()
    schema = schemathesis.openapi.from_dict(app.app.openapi(), config=CONFIG)
    schema.app = app  # what `from_asgi` sets: cases are sent in process over ASGI
    install_hooks(schema, seeded)
    return Target(service, app, seeded, AUTH), schema


TARGETS: dict[str, Target] = {}
SCHEMAS: dict[str, Any] = {}
for _service in SERVICES:
    TARGETS[_service], SCHEMAS[_service] = build(_service)


@pytest.fixture(scope="module")
def running() -> Iterator[dict[str, Target]]:
    try:
        for target in TARGETS.values():
            with st_asgi.get_client(target.app):  # starts the lifespan, once
                pass
        seed(TARGETS)
        yield TARGETS
    finally:
        unwire_feeds()
        for target in TARGETS.values():
            target.app.closing = True
            with st_asgi.get_client(target.app):  # a lifespan to end, now for real
                pass
        st_asgi.shutdown_lifespans()
        WORK.cleanup()
    if REPORT:
        write_report(REPORT)
        assert not COLLECTED, f"{len(COLLECTED)} distinct failures:\n" + "\n".join(
            f"  {f.service} {f.operation} [{f.check}] {f.status}: {f.title}"
            for f in sorted(COLLECTED.values(), key=lambda f: (f.service, f.operation))
        )


def exercise(target: Target, case: schemathesis.Case) -> None:
    headers = dict(target.auth)
    cap_feed_wait(case)
    if not REPORT:
        try:
            case.call_and_validate(headers=headers)
        except FailureGroup as group:
            # pytest 9.2 shows every failing operation under one node id: name the operation.
            group.add_note(f"operation: {target.service} {case.operation.label}")
            raise
        return
    try:
        response = case.call(headers=headers)
    except Exception as error:  # the app raised through the ASGI transport
        failure = ("unhandled_exception", type(error).__name__, repr(error))
        record(target.service, case, None, [failure])
        return
    ANSWERS[(target.service, case.operation.label, response.status_code)] += 1
    try:
        case.validate_response(response, headers=headers)
    except FailureGroup as group:
        failures = [
            (",".join(getattr(f, "checks", ())) or f.code, f.title, f.message)
            for f in group.exceptions
            if isinstance(f, Failure)
        ]
        record(target.service, case, response, failures)


def test_demo_data_responses_keep_the_contract(running: dict[str, Target]) -> None:
    """The seeding walked people along the whole path: those answers are checked too."""
    assert SEED_CHECKED["org-registry"] and SEED_CHECKED["member-lifecycle"], SEED_CHECKED
    assert not SEED_FAILURES, "\n".join(SEED_FAILURES)


# --- the edges, deterministically ----------------------------------------------------------------
#
# Random generation seldom draws a date in year 1 or 9999, or an integer past 64 bits. Every query
# parameter that is a date, a date-time or an unbounded integer gets those values once, with the
# other parameters left out and path ids pointing at the seeded things (the root organisation).

EDGE_INTEGERS = [2**63]


def edge_values(spec: dict[str, Any], parameter: dict[str, Any]) -> list[Any]:
    schema = parameter.get("schema", {})
    variants = [schema, *schema.get("anyOf", [])]
    variants = [
        spec["components"]["schemas"][v["$ref"].split("/")[-1]] if "$ref" in v else v
        for v in variants
    ]
    formats = {v.get("format") for v in variants}
    if "date" in formats:
        return EDGE_DATES
    if "date-time" in formats:
        return EDGE_DATETIMES
    if any(v.get("type") == "integer" and "maximum" not in v for v in variants):
        return EDGE_INTEGERS
    return []


def edge_params() -> list[Any]:
    params = []
    for service, schema in SCHEMAS.items():
        spec = schema.raw_schema
        for path, methods in spec["paths"].items():
            for method, operation in methods.items():
                for parameter in operation.get("parameters", []):
                    for value in edge_values(spec, parameter):
                        where, name = parameter["in"], parameter["name"]
                        label = f"{service}:{method.upper()} {path}:{where}.{name}={value}"
                        params.append(
                            pytest.param(service, path, method, where, name, value, id=label)
                        )
    return params


def path_value(target: Target, operation: Any, name: str) -> Any:
    pool = target.seeded.pools().get(name)
    if pool:
        return pool[0]
    parameter = next(p for p in operation.definition.raw["parameters"] if p["name"] == name)
    schema = parameter.get("schema", {})
    if "$ref" in schema:
        schema = operation.schema.raw_schema["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema.get("enum", [str(uuid.uuid4())])[0]


@pytest.mark.parametrize(("service", "path", "method", "where", "name", "value"), edge_params())
def test_edge_values_keep_the_contract(
    running: dict[str, Target],
    service: str,
    path: str,
    method: str,
    where: str,
    name: str,
    value: Any,
) -> None:
    target = running[service]
    operation = SCHEMAS[service][path][method.upper()]
    path_parameters = {
        p["name"]: path_value(target, operation, p["name"])
        for p in operation.definition.raw.get("parameters", [])
        if p["in"] == "path"
    }
    query = {}
    if where == "path":
        path_parameters[name] = value
    else:
        query[name] = value
    case = operation.Case(path_parameters=path_parameters, query=query)
    exercise(target, case)


# --- the fuzzing, operation by operation ------------------------------------------------------


def make_test(service: str) -> Callable[..., None]:
    @SCHEMAS[service].parametrize()
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def test(case: schemathesis.Case, running: dict[str, Target]) -> None:
        exercise(running[service], case)

    test.__doc__ = f"Every operation of {service} keeps its documented contract."
    return test


test_org_registry_contract = make_test("org-registry")
test_member_lifecycle_contract = make_test("member-lifecycle")
test_assessment_contract = make_test("assessment")
test_funding_contract = make_test("funding")
