"""A deployment as a platform team runs it, on PostgreSQL: two org-registry API processes
without followers, two ``jiceng follow org-registry`` processes (one active, one standby),
member-lifecycle whole, and the gateway taking the two APIs in turn. Faults come from
outside: SIGKILL, a trigger that makes writes to one table fail, a corrupt row."""
# Imported by the fault tests (tests/e2e is on sys.path while they run).

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from psycopg import sql

from e2e_support import Cluster, cluster_env, free_port, jiceng, wait_until
from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.settings import Settings

ORG = "org-registry"


@dataclass
class Deployment(Cluster):
    postgres_url: str = ""
    prefix: str = ""
    api_ports: dict[str, int] = field(default_factory=dict)
    follower_ports: dict[str, int] = field(default_factory=dict)

    def schema(self, service: str) -> str:
        return self.prefix + service.replace("-", "_")

    # -- processes ----------------------------------------------------------------------------
    def start(self, name: str) -> None:
        env = dict(self.env)
        if name in self.api_ports:
            args = ["serve", ORG, "--port", str(self.api_ports[name])]
            env["JICENG_RUN_CONSUMERS"] = "false"  # followers run apart
            ready = f"http://127.0.0.1:{self.api_ports[name]}/healthz"
        elif name in self.follower_ports:
            args = ["follow", ORG, "--port", str(self.follower_ports[name])]
            ready = f"http://127.0.0.1:{self.follower_ports[name]}/healthz"
        elif name == "gateway":
            args, ready = ["gateway"], f"{self.gateway}/"
        else:
            args = ["serve", name]
            ready = f"http://127.0.0.1:{self.settings.ports[name]}/healthz"
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "jiceng", *args], env=env, stdout=log, stderr=log
        )
        wait_until(lambda: httpx.get(ready, timeout=2).status_code == 200, what=f"{name} up")

    def followers_state(self, name: str) -> dict[str, object]:
        port = self.follower_ports[name]
        body: dict[str, object] = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).json()
        return body

    def client(self, base: str | None = None) -> httpx.Client:  # type: ignore[override]
        token = TokenService(self.settings).mint("faults", [Role.PLATFORM_ADMIN])
        return httpx.Client(
            base_url=base or self.gateway,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def jiceng(self, *args: str) -> subprocess.CompletedProcess[str]:
        return jiceng(self, *args)

    # -- the database, from outside -----------------------------------------------------------
    def sql(self, statement: str, *params: object) -> list[tuple[object, ...]]:
        with psycopg.connect(self.postgres_url, autocommit=True) as conn:
            cursor = conn.execute(sql.SQL(statement), params)  # type: ignore[call-overload]
            return cursor.fetchall() if cursor.description else []

    def table(self, service: str, name: str) -> str:
        """``service``'s table ``name``, qualified by its schema."""
        return f'"{self.schema(service)}"."{name}"'

    @contextmanager
    def failing_writes(self, table: str, sqlstate: str) -> Iterator[None]:
        """Every insert or update on ``table`` fails with ``sqlstate`` until the block ends
        (as a lock timeout, a serialization failure or a restarting primary would)."""
        name = f"{self.prefix}fault_{uuid.uuid4().hex[:6]}"
        self.sql(
            f"CREATE FUNCTION public.{name}() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION 'injected write failure' USING ERRCODE = '{sqlstate}'; "
            "END $$ LANGUAGE plpgsql"
        )
        self.sql(
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION public.{name}()"
        )
        try:
            yield
        finally:
            self.sql(f"DROP TRIGGER {name} ON {table}")
            self.sql(f"DROP FUNCTION public.{name}()")


def deployment_env(tmp: Path, postgres_url: str, prefix: str) -> Deployment:
    env = cluster_env(tmp)
    ports = json.loads(env["JICENG_PORTS"])
    api_ports = {"api-a": ports[ORG], "api-b": free_port()}
    follower_ports = {"followers-1": free_port(), "followers-2": free_port()}
    env.update(
        JICENG_DATABASE_URL=postgres_url,
        JICENG_SCHEMA_PREFIX=prefix,
        JICENG_READ_YOUR_WRITES_SECONDS="3",
        JICENG_GATEWAY_UPSTREAMS=json.dumps(
            {ORG: [f"http://127.0.0.1:{p}" for p in api_ports.values()]}
        ),
    )
    settings = Settings(
        env="dev",
        data_dir=Path(env["JICENG_DATA_DIR"]),
        ports=ports,
        gateway_port=int(env["JICENG_GATEWAY_PORT"]),
    )
    return Deployment(
        env,
        settings,
        tmp,
        postgres_url=postgres_url,
        prefix=prefix,
        api_ports=api_ports,
        follower_ports=follower_ports,
    )
