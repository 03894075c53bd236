"""The Dockerfile, linted with hadolint (no container engine runs here), and what it promises:
a non-root user, `jiceng` as the entry point, and only the sources the wheel test installs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from test_wheel_install import IMAGE_SOURCES

ROOT = Path(__file__).resolve().parents[2]
HADOLINT = Path(sys.executable).parent / "hadolint"


def _lint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HADOLINT), "--no-color", str(dockerfile)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_hadolint_passes() -> None:
    done = _lint(ROOT / "Dockerfile")
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_catches_a_root_user(tmp_path: Path) -> None:
    broken = tmp_path / "Dockerfile"
    text = (ROOT / "Dockerfile").read_text()
    broken.write_text(text.replace("USER 10001:10001", "USER root"))
    done = _lint(broken)
    assert done.returncode != 0 and "DL3002" in done.stdout, done.stdout


def test_the_image_runs_jiceng_as_a_user_from_the_wheel_sources() -> None:
    text = (ROOT / "Dockerfile").read_text()
    final = text.split("\nFROM ")[-1]
    assert re.search(r"^USER 10001:10001$", final, flags=re.M)
    assert 'ENTRYPOINT ["jiceng"]' in final
    assert "JICENG_DATA_DIR=/tmp/jiceng" in final  # writes land in /tmp only
    copied = {
        source.rstrip("/")
        for line in text.splitlines()
        if line.startswith("COPY ") and "--from" not in line
        for source in line.split()[1:-1]
    }
    assert copied == {*IMAGE_SOURCES, "deploy/image/install.sh"}
    allowed = {
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    assert allowed == copied
    assert "sh /usr/local/bin/jiceng-install /src /opt/jiceng otel" in text
