"""E2E fixtures: a cluster of the four services and the gateway, on SQLite then PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e_support import Cluster, cluster_env
from jiceng.registry import service_names
from jiceng.settings import Settings
from support import drop_schemas


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp("cluster")
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
        for name in (*service_names(), "gateway"):
            cluster.start(name)
        yield cluster
    finally:
        cluster.stop_all()
        if prefix:
            drop_schemas(env["JICENG_DATABASE_URL"], prefix)
