"""Stopping a service while a client long-polls its feed: the client gets its (empty) page at
once, and the service logs no error."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import httpx
import pytest

from e2e_support import Cluster, cluster_env
from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.settings import Settings

pytestmark = pytest.mark.e2e


def test_a_long_poll_is_answered_when_the_service_stops(tmp_path: Path) -> None:
    env = {**cluster_env(tmp_path), "JICENG_FOLLOW_REMOTE_FEEDS": "false"}
    settings = Settings(
        env="dev",
        data_dir=Path(env["JICENG_DATA_DIR"]),
        ports=json.loads(env["JICENG_PORTS"]),
        gateway_port=int(env["JICENG_GATEWAY_PORT"]),
    )
    cluster = Cluster(env=env, settings=settings, logs=tmp_path)
    cluster.start("org-registry")
    token = TokenService(settings).mint("poller", [Role.SYSTEM])
    answers: list[httpx.Response] = []

    def poll() -> None:
        answers.append(
            httpx.get(
                f"{cluster.url('org-registry')}/org-registry/v1/events",
                params={"after": 10**6, "wait": 30},
                headers={"Authorization": f"Bearer {token}"},
                timeout=40,
            )
        )

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        threading.Event().wait(1.5)  # the poll is waiting
        process = cluster.processes.pop("org-registry")
        process.send_signal(signal.SIGINT)
        process.wait(15)
        poller.join(15)
    finally:
        cluster.stop_all()
    [answer] = answers
    assert (answer.status_code, answer.json()["events"]) == (200, [])
    log = (tmp_path / "org-registry.log").read_text()
    errors = [line for line in log.splitlines() if '"level": "error"' in line]
    assert errors == []
