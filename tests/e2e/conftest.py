"""E2E fixtures: a cluster of the four services and the gateway, on SQLite then PostgreSQL.

One cluster per storage serves every test that asks for ``cluster``: starting five processes
costs more than most tests do. The tests share its logs, so each makes its own data (names and
identity numbers of its own) and reads what it made, never the whole log from its start; a test
that kills a service starts it again, and a service it leaves down is started before the next
test. Tests using the cluster run last, grouped by storage, so that each cluster runs only while
its own tests do (the PostgreSQL one holds connections the others' tests need).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from e2e_support import Cluster, cluster_env
from jiceng.registry import service_names
from jiceng.settings import Settings
from support import drop_schemas


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp(f"cluster-{request.param}")
    env = cluster_env(tmp)
    prefix = ""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        prefix = f"e{uuid.uuid4().hex[:10]}_"
        env.update(JICENG_DATABASE_URL=url, JICENG_SCHEMA_PREFIX=prefix)
    settings = Settings(
        env="dev",
        data_dir=Path(env["JICENG_DATA_DIR"]),
        ports=json.loads(env["JICENG_PORTS"]),
        gateway_port=int(env["JICENG_GATEWAY_PORT"]),
    )
    cluster = Cluster(env=env, settings=settings, logs=tmp)
    try:
        cluster.start_all((*service_names(), "gateway"))
        yield cluster
    finally:
        cluster.stop_all()
        if prefix:
            drop_schemas(env["JICENG_DATABASE_URL"], prefix)


@pytest.fixture(autouse=True)
def _cluster_whole_afterwards(request: pytest.FixtureRequest) -> Iterator[None]:
    """A service a test killed and left down (it failed before starting it again) is started
    again, so that the next test finds the whole cluster."""
    yield
    if "cluster" in request.fixturenames:
        cluster: Cluster = request.getfixturevalue("cluster")
        cluster.start_all(name for name in (*service_names(), "gateway") if name not in cluster)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Generator[None]:
    """The cluster's tests after every other (in pytest's order, grouped by storage)."""
    yield
    items.sort(key=lambda item: "cluster" in getattr(item, "fixturenames", ()))
