"""The image's install steps, proven without a container engine.

The files the Dockerfile copies (as ``.dockerignore`` lets them through) are copied to a scratch
directory; ``deploy/image/install.sh`` (the script the image's build stage runs) builds the wheel
and installs it into a clean venv; that venv then runs ``jiceng migrate``, ``jiceng serve`` and
``jiceng follow`` with ``JICENG_ENV=prod`` against PostgreSQL, its secrets read from files as
from a mounted Secret volume, from a working directory it must not write to.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from e2e_support import free_port
from jiceng.eventlog.storage import schema_name
from jiceng.registry import service_names
from support import drop_schemas, url_as

ROOT = Path(__file__).resolve().parents[2]
#: What the build stage copies (Dockerfile's COPY lines; .dockerignore lets only these through).
IMAGE_SOURCES = ("pyproject.toml", "setup.py", "README.md", "shared", "services")

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def _copy_sources(target: Path) -> Path:
    target.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in IMAGE_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


def _secrets(directory: Path, database_url: str) -> Path:
    directory.mkdir()
    values = {
        "JICENG_JWT_SECRET": "wheel-install-test-secret-of-more-than-32-characters",
        "JICENG_CIPHER_KEY": base64.b64encode(bytes(range(32))).decode(),
        "JICENG_PERSONAL_DATA_KEY": base64.b64encode(bytes(range(1, 33))).decode(),
        "JICENG_AUDIT_SIGNING_KEY": base64.b64encode(bytes(range(2, 34))).decode(),
        "JICENG_DATABASE_URL": database_url,
    }
    for name, value in values.items():
        (directory / name).write_text(value + "\n")
    return directory


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scratch = tmp_path_factory.mktemp("wheel")
    sources = _copy_sources(scratch / "src")
    venv = scratch / "venv"
    subprocess.run(
        ["sh", str(ROOT / "deploy/image/install.sh"), str(sources), str(venv), "otel"],
        check=True,
        timeout=900,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return venv


@pytest.fixture
def service_role(postgres_url: str) -> Iterator[tuple[str, str]]:
    """A login role owning only its schemas, as the CloudNativePG component sets it up: no
    CREATE on the database, no superuser. Yields (database URL as that role, schema prefix)."""
    prefix = f"w{uuid.uuid4().hex[:8]}_"
    role = prefix.rstrip("_")
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        for service in service_names():
            conn.execute(
                sql.SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(
                    sql.Identifier(schema_name(service, prefix)), sql.Identifier(role)
                )
            )
    try:
        yield url_as(postgres_url, role), prefix
    finally:
        drop_schemas(postgres_url, prefix)
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.fixture
def prod_env(tmp_path: Path, service_role: tuple[str, str]) -> dict[str, str]:
    database_url, prefix = service_role
    org, ml = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JICENG_", "VIRTUAL_ENV"))}
    env.update(
        JICENG_ENV="prod",
        JICENG_SECRETS_DIR=str(_secrets(tmp_path / "secrets", database_url)),
        JICENG_SCHEMA_PREFIX=prefix,
        JICENG_DATA_DIR=str(tmp_path / "tmp"),
        JICENG_PORTS=json.dumps({"org-registry": org, "member-lifecycle": ml}),
        JICENG_PROBES_UNDER_PREFIX="false",
        JICENG_FOLLOW_REMOTE_FEEDS="false",
        JICENG_FEED_WAIT_SECONDS="2",
    )
    return env


def _wait(
    url: str, processes: Sequence[subprocess.Popen[bytes]] = (), timeout: float = 60.0
) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = httpx.get(url, timeout=2)
            if answer.status_code == 200:
                return answer
        except httpx.TransportError:
            pass
        ended = [p for p in processes if p.poll() is not None]
        if ended or time.monotonic() > deadline:
            for p in processes:
                p.kill()
            said = [p.stderr.read().decode()[-3000:] for p in processes if p.stderr]
            pytest.fail(f"{url} did not answer 200 within {timeout} s: {said}")
        time.sleep(0.2)


def test_the_installed_wheel_migrates_and_serves_in_production(
    installed: Path, prod_env: dict[str, str], tmp_path: Path
) -> None:
    jiceng = str(installed / "bin" / "jiceng")
    workdir = tmp_path / "workdir"  # stands for the image's read-only root: nothing may land here
    workdir.mkdir()
    run = {"env": prod_env, "cwd": workdir, "capture_output": True, "text": True, "timeout": 120}

    # The venv is the wheel's, not the project's checkout.
    where = subprocess.run(
        [
            str(installed / "bin/python"),
            "-c",
            "import jiceng, org_registry; print(jiceng.__file__)",
        ],
        check=True,
        **run,  # type: ignore[call-overload]
    )
    assert str(installed) in where.stdout and str(ROOT / "shared") not in where.stdout

    migrated = subprocess.run([jiceng, "migrate"], check=False, **run)  # type: ignore[call-overload]
    assert migrated.returncode == 0, migrated.stderr
    assert "org-registry: ready at" in migrated.stdout

    port = json.loads(prod_env["JICENG_PORTS"])["org-registry"]
    follower_port = free_port()
    processes = [
        subprocess.Popen(
            [jiceng, "serve", "org-registry", "--port", str(port)],
            env={**prod_env, "JICENG_RUN_CONSUMERS": "false"},
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        ),
        subprocess.Popen(
            [jiceng, "follow", "org-registry", "--port", str(follower_port)],
            env=prod_env,
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        ),
    ]
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/healthz", processes)
        _wait(f"http://127.0.0.1:{follower_port}/readyz", processes)
        assert _wait(f"{base}/readyz").json()["status"] == "ready"
        assert "process_cpu_seconds_total" in _wait(f"{base}/metrics").text
        assert httpx.get(f"{base}/org-registry/metrics").status_code == 404

        token = subprocess.run(
            [jiceng, "token", "--role", "platform_admin"],
            check=True,
            **run,  # type: ignore[call-overload]
        ).stdout.strip()
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
        body = {"name": "打包安装测试党委", "org_type": "committee", "domain": "rural"}
        created = httpx.post(
            f"{base}/org-registry/v1/organisations", json=body, headers=headers, timeout=30
        )
        assert created.status_code == 201, created.text
        assert created.headers["Jiceng-Read-Models"] == "current"
        one = f"{base}/org-registry/v1/organisations/{created.json()['id']}"
        read = httpx.get(one, headers={"Authorization": headers["Authorization"]})
        assert read.json()["name"] == "打包安装测试党委"
        forged = httpx.get(one, headers={"Authorization": "Bearer " + _dev_token()})
        assert forged.status_code == 401
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    # uvicorn re-raises the stopping signal once its graceful shutdown is done.
    assert [p.returncode for p in processes] == [-15, -15], [
        p.stderr.read().decode()[-2000:] for p in processes if p.stderr
    ]
    assert list(workdir.iterdir()) == []


def _dev_token() -> str:
    """A token signed with the development secret, which production must refuse."""
    done = subprocess.run(
        [sys.executable, "-m", "jiceng", "token", "--role", "platform_admin"],
        env={k: v for k, v in os.environ.items() if not k.startswith("JICENG_")},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()
