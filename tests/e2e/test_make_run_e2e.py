"""What `make run` does: `jiceng up --demo` starts everything, prints docs and a token."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from e2e_support import cluster_env


def test_up_with_demo_serves_everything_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = cluster_env(tmp_path)
    gateway = f"http://127.0.0.1:{env['JICENG_GATEWAY_PORT']}"
    process = subprocess.Popen(
        [sys.executable, "-m", "jiceng", "up", "--demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 90
        while "Ctrl-C stops everything." not in "".join(lines):
            assert time.monotonic() < deadline, "".join(lines)
            line = process.stdout.readline()
            assert line, "jiceng up exited early: " + "".join(lines)
            lines.append(line)
        banner = "".join(lines)
        for service in ("org-registry", "member-lifecycle", "assessment", "funding"):
            assert f"{gateway}/{service}/docs" in banner
        token = lines[lines.index("Admin bearer token (platform_admin, valid 12 h):\n") + 1].strip()
        assert "demo data for org-registry: loaded" in banner

        headers = {"Authorization": f"Bearer {token}"}
        page = httpx.get(f"{gateway}/org-registry/v1/events", headers=headers, timeout=10).json()
        assert len(page["events"]) >= 10
        assert httpx.get(f"{gateway}/funding/docs", timeout=10).status_code == 200
        ports = json.loads(env["JICENG_PORTS"])
        assert httpx.get(f"http://127.0.0.1:{ports['assessment']}/healthz").status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        remaining, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "all services stopped" in remaining
