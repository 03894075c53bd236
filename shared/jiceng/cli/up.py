"""``jiceng up`` / ``serve`` / ``gateway``: run services as processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

import httpx
import uvicorn

from jiceng.api.observability import configure_logging
from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.eventlog.storage import Storage
from jiceng.registry import definition, package, port_of, service_names, url_of
from jiceng.runtime import ServiceRuntime
from jiceng.settings import Settings


class DrainingServer(uvicorn.Server):
    """On SIGINT or SIGTERM, long-polls answer at once (an empty page) instead of being
    cancelled with a 500 when the graceful shutdown's time is up."""

    def __init__(self, config: uvicorn.Config, runtime: ServiceRuntime) -> None:
        super().__init__(config)
        self.runtime = runtime

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.runtime.drain()
        super().handle_exit(sig, frame)


def serve(settings: Settings, service: str, port: int | None = None) -> None:
    configure_logging(service, settings.log_level, json_lines=settings.log_json)
    application = definition(service).create_app(settings)
    config = uvicorn.Config(
        application,
        host=settings.host,
        port=port or port_of(settings, service),
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    DrainingServer(config, application.state.runtime).run()


def serve_gateway(settings: Settings) -> None:
    from jiceng.gateway import create_gateway

    configure_logging("gateway", settings.log_level, json_lines=settings.log_json)
    uvicorn.run(
        create_gateway(settings),
        host=settings.host,
        port=settings.gateway_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
    )


def spawn(args: Sequence[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "jiceng", *args], env=env)


def wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            msg = f"{url} did not answer within {timeout:.0f}s"
            raise TimeoutError(msg)
        time.sleep(0.2)


def run(settings: Settings, *, demo: bool) -> int:
    env = dict(os.environ)
    env.setdefault("JICENG_LOG_JSON", "false")
    children: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for service in service_names():
            children[service] = spawn(["serve", service], env)
        children["gateway"] = spawn(["gateway"], env)
        for service in service_names():
            wait_ready(f"{url_of(settings, service)}/healthz")
        wait_ready(f"{settings.gateway_url}/")
        token = TokenService(settings).mint("dev-admin", [Role.PLATFORM_ADMIN])
        if demo:
            _load_demo(settings, token)
        _banner(settings, token)
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"{name} exited with {child.returncode}; stopping everything")
                    stopping = True
            time.sleep(0.3)
        return 0
    except TimeoutError as error:
        print(f"start-up failed: {error}", file=sys.stderr)
        return 1
    finally:
        _terminate(children)


def _terminate(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children.values():
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
    print("all services stopped")


def _load_demo(settings: Settings, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    loaded: dict[str, dict[str, object]] = {}
    with httpx.Client(base_url=settings.gateway_url, headers=headers, timeout=30) as client:
        for service in service_names():
            try:
                demo = __import__(f"{package(service)}.demo", fromlist=["load"])
            except ModuleNotFoundError:
                continue
            outcome = demo.load(client, loaded)
            loaded[service] = outcome
            if outcome.get("skipped"):
                print(f"demo data for {service}: skipped ({outcome['reason']})")
            else:
                counts = {k: v for k, v in outcome.items() if isinstance(v, int)}
                print(f"demo data for {service}: loaded {counts}")


def _banner(settings: Settings, token: str) -> None:
    gateway = settings.gateway_url
    storage = Storage.for_service(settings, service_names()[0])
    where = (
        "embedded SQLite under " + str(settings.data_dir)
        if storage.kind == "sqlite"
        else ("PostgreSQL")
    )
    lines = [
        "",
        f"Jiceng is running on {where}. Gateway: {gateway}",
        "",
        f"  {'service':<18} {'API docs (via gateway)':<48} own port",
    ]
    for service in service_names():
        lines.append(
            f"  {service:<18} {gateway + '/' + service + '/docs':<48} {url_of(settings, service)}"
        )
    lines += [
        "",
        "Admin bearer token (platform_admin, valid 12 h):",
        f"  {token}",
        "",
        f'Try:  curl -H "Authorization: Bearer <token>" {gateway}/org-registry/v1/events',
        "      jiceng feed org-registry --follow",
        "Ctrl-C stops everything.",
        "",
    ]
    print("\n".join(lines), flush=True)
