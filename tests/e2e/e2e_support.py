"""Services started as real processes on free ports, driven over HTTP."""
# Imported by conftest.py and the tests (tests/e2e is on sys.path while they run).

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.registry import service_names, url_of
from jiceng.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    env: dict[str, str]
    settings: Settings
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return self.settings.gateway_url

    def url(self, service: str) -> str:
        return url_of(self.settings, service)

    def __contains__(self, name: str) -> bool:
        """Whether ``name`` was started and is still running."""
        process = self.processes.get(name)
        return process is not None and process.poll() is None

    def start(self, name: str) -> None:
        args = ["gateway"] if name == "gateway" else ["serve", name]
        with (self.logs / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "jiceng", *args], env=self.env, stdout=log, stderr=log
            )
        ready = f"{self.gateway}/" if name == "gateway" else f"{self.url(name)}/healthz"
        wait_until(lambda: httpx.get(ready, timeout=2).status_code == 200, what=f"{name} up")

    def start_all(self, names: Iterable[str]) -> None:
        """Start each in turn (together they only compete for the processors, and a follower
        finding its upstream not yet there backs off)."""
        for name in names:
            self.start(name)

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def client(self, *roles: Role) -> httpx.Client:
        token = TokenService(self.settings).mint("e2e", list(roles) or [Role.PLATFORM_ADMIN])
        return httpx.Client(
            base_url=self.gateway, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )


def wait_until(check: Any, *, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (httpx.HTTPError, KeyError, AssertionError) as error:
            last = error
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last error: {last!r})")


def cluster_env(tmp: Path) -> dict[str, str]:
    ports = {service: free_port() for service in service_names()}
    env = {k: v for k, v in os.environ.items() if not k.startswith("JICENG_")}
    env.update(
        JICENG_ENV="dev",
        JICENG_DATA_DIR=str(tmp / "var"),
        JICENG_PORTS=json.dumps(ports),
        JICENG_GATEWAY_PORT=str(free_port()),
        JICENG_FEED_WAIT_SECONDS="5",
        JICENG_LOG_JSON="true",
    )
    return env


def jiceng(cluster: Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``jiceng`` command against the cluster, as an operator would."""
    return subprocess.run(
        [sys.executable, "-m", "jiceng", *args],
        env=cluster.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def post(client: httpx.Client, path: str, body: dict[str, Any], status: int = 200) -> Any:
    """POST ``body`` and insist on ``status``; the answer's JSON."""
    response = client.post(path, json=body)
    assert response.status_code == status, (path, response.text)
    return response.json()
