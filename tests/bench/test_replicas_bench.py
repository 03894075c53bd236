"""Commands through one API process and through two, with the followers apart, on PostgreSQL.

The same run measures: establish p50/p99 and throughput at 1 and 16 clients with one API
process (``JICENG_RUN_CONSUMERS=false``, one ``jiceng follow org-registry``), then with a
second API process taking half the clients; the baseline is eventsourcing's bare ``save()``
of the same aggregate into a schema of the same database.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

sys.path.append(str(Path(__file__).resolve().parents[1] / "e2e"))

from fault_support import Deployment, deployment_env
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.storage import Storage
from jiceng.policy.catalogue import default_catalogue
from jiceng.settings import Settings
from org_registry.application import OrgRegistry
from org_registry.domain.organisation import Organisation
from org_registry.domain.types import OrgDomain, OrgType
from support import drop_schemas

SERIAL = 150
PER_CLIENT = 25
CLIENTS = 16
OURS = "our log's save()"


def _establish(client: httpx.Client, n: int) -> float:
    started = time.perf_counter()
    answer = client.post(
        "/org-registry/v1/organisations",
        json={
            "name": f"基准党委{uuid.uuid4().hex[:6]}{n}",
            "org_type": "committee",
            "domain": "rural",
        },
    )
    assert answer.status_code == 201, answer.text
    return time.perf_counter() - started


def _run(
    deployment: Deployment, urls: list[str], clients: int, each: int
) -> tuple[list[float], float]:
    timings: list[float] = []
    lock = threading.Lock()

    def work(k: int) -> None:
        with deployment.client(urls[k % len(urls)]) as client:
            for n in range(each):
                elapsed = _establish(client, n)
                with lock:
                    timings.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, time.perf_counter() - started


def _figures(timings: list[float], wall: float) -> str:
    ordered = sorted(timings)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[max(int(len(ordered) * 0.99) - 1, 0)] * 1000
    return f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  {len(timings) / wall:6.1f}/s"


def _our_saves(postgres_url: str, prefix: str) -> tuple[list[float], float]:
    settings = Settings(env="dev", database_url=postgres_url, schema_prefix=prefix + "bare_")
    registry = OrgRegistry(Storage.for_service(settings, "org-registry"))
    policy = default_catalogue().in_force("national", date(2026, 1, 1))
    timings = []
    started = time.perf_counter()
    for n in range(SERIAL):
        org = Organisation.establish(
            policy=policy,
            name=f"裸存{n}",
            org_type=OrgType.COMMITTEE,
            domain=OrgDomain.RURAL,
            parent=None,
            established_on=None,
        )
        began = time.perf_counter()
        registry.save(org, meta=EventMeta(actor="bench"))
        timings.append(time.perf_counter() - began)
    wall = time.perf_counter() - started
    registry.close()
    return timings, wall


class Bare(Aggregate):
    """An aggregate of the library alone: the baseline writes nothing of ours."""

    def __init__(self, name: str) -> None:
        self.name = name


def _library_saves(postgres_url: str, prefix: str) -> tuple[list[float], float]:
    settings = Settings(env="dev", database_url=postgres_url, schema_prefix=prefix + "lib_")
    storage = Storage.for_service(settings, "bare")
    storage.prepare()
    app: Application[UUID] = Application(env=storage.eventsourcing_env())
    timings = []
    started = time.perf_counter()
    for n in range(SERIAL):
        aggregate = Bare(name=f"裸存{n}")
        began = time.perf_counter()
        app.save(aggregate)
        timings.append(time.perf_counter() - began)
    wall = time.perf_counter() - started
    app.close()
    return timings, wall


def test_one_and_two_api_processes(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str
) -> None:
    prefix = f"b{uuid.uuid4().hex[:8]}_"
    deployment = deployment_env(tmp_path_factory.mktemp("replicas"), postgres_url, prefix)
    try:
        for name in ("followers-1", "api-a"):
            deployment.start(name)
        one = [f"http://127.0.0.1:{deployment.api_ports['api-a']}"]
        _run(deployment, one, 1, 20)  # warm-up
        results = {"one, 1 client": _run(deployment, one, 1, SERIAL)}
        results["one, 16 clients"] = _run(deployment, one, CLIENTS, PER_CLIENT)
        deployment.start("api-b")
        two = [*one, f"http://127.0.0.1:{deployment.api_ports['api-b']}"]
        _run(deployment, two, 2, 10)  # warm-up
        results["two, 1 client"] = _run(deployment, two, 1, SERIAL)
        results["two, 16 clients"] = _run(deployment, two, CLIENTS, PER_CLIENT)
        results[OURS] = _our_saves(postgres_url, prefix)
        results["bare save(), 1 thread"] = _library_saves(postgres_url, prefix)
    finally:
        deployment.stop_all()
        drop_schemas(postgres_url, prefix)
    print("\nestablish an organisation, followers apart (PostgreSQL)")
    for what, (timings, wall) in results.items():
        print(f"  {what:24} {_figures(timings, wall)}")
    rate = {k: len(t) / w for k, (t, w) in results.items()}
    p99 = {k: sorted(t)[max(int(len(t) * 0.99) - 1, 0)] for k, (t, _) in results.items()}
    bare = p99["bare save(), 1 thread"]
    print(f"  two/one at 1 client:  p99 {p99['two, 1 client'] / p99['one, 1 client']:.2f}x")
    print(f"  two/one at 16 clients: rate {rate['two, 16 clients'] / rate['one, 16 clients']:.2f}x")
    print(f"  one, 1 client p99 / bare save p99: {p99['one, 1 client'] / bare:.1f}x")
    print(f"  our log's save p99 / bare save p99: {p99[OURS] / bare:.1f}x")
