"""What the database refuses is said in one line: a role that may not create its schema."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from support import url_as

pytestmark = pytest.mark.postgres


def test_a_missing_privilege_is_one_line(postgres_url: str, tmp_path: Path) -> None:
    role = f"r{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JICENG_")}
        env.update(
            JICENG_DATABASE_URL=url_as(postgres_url, role),
            JICENG_SCHEMA_PREFIX=f"{role}_",
            JICENG_DATA_DIR=str(tmp_path),
        )
        done = subprocess.run(
            [sys.executable, "-m", "jiceng", "migrate", "org-registry"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("jiceng: the database refused: permission denied for database")
    assert "SQLSTATE 42501" in done.stderr
