"""Structural alerts as a file, and ``jiceng export`` saving a download from the API."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from typer.testing import CliRunner

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.cli.export import ExportFailed, Report, export, filename_of
from jiceng.cli.main import app as cli
from jiceng.eventlog.records import FeedEvent
from jiceng.eventlog.storage import Storage
from jiceng.membercounts.projection import MemberCountsProjection
from jiceng.settings import Settings
from jiceng.sheets.writing import SheetFormat
from support import TODAY, Api

V1 = "/org-registry/v1"
HEADERS = ["党组织", "预警内容", "规则", "政策包", "相关数字", "预警代码", "党组织ID"]


@pytest.fixture
async def registry(settings: Settings, tokens: TokenService) -> AsyncIterator[tuple[Api, Any]]:
    """org-registry in memory with its ASGI app, for the CLI to reach through a transport."""
    from org_registry.bootstrap import create_app

    app = create_app(settings, storage=Storage.memory("org-registry"), clock=lambda: TODAY)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, app.state.runtime, tokens), app


async def counted(api: Api, org_id: str, formal: int, event_id: int) -> None:
    """member-lifecycle's count of an organisation, as its feed brings it."""
    payload = {"org_id": org_id, "formal": formal, "probationary": 0, "as_of": "2026-03-01"}
    event = FeedEvent(
        id=event_id,
        stream_id=org_id,
        stream_version=1,
        type="OrgMembership.Counted",
        occurred_at="2026-03-01T00:00:00+00:00",
        actor="jwt:member-lifecycle",
        correlation_id=None,
        causation_id=None,
        reason=None,
        policy_pack=None,
        payload=payload,
    )
    async with api.runtime.db.engine.begin() as conn:
        await MemberCountsProjection().handle(conn, event)


async def small_tree(api: Api) -> tuple[str, str, str]:
    """A committee with a two-member branch (too few, and too small for a committee), and
    another tree."""
    committee = (await api.establish("=某镇党委"))["id"]
    branch = (await api.establish("第一党支部", committee))["id"]
    elsewhere = (await api.establish("某区委", domain="government"))["id"]
    await counted(api, branch, 2, 1)
    await counted(api, committee, 0, 2)
    return committee, branch, elsewhere


def xlsx_rows(content: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


async def test_alerts_file_holds_the_json_alerts_in_scope(
    registry: tuple[Api, Any],
) -> None:
    api, _ = registry
    committee, branch, elsewhere = await small_tree(api)
    listed = await api.client.get(f"{V1}/organisations/{committee}/alerts", headers=api.headers())
    alerts = listed.json()
    assert len(alerts) >= 2
    answer = await api.client.get(
        f"{V1}/organisations/{committee}/alerts/export", headers=api.headers()
    )
    assert answer.status_code == 200, answer.text
    rows = xlsx_rows(answer.content)
    assert rows[0] == HEADERS
    assert sorted((r[6], r[5], r[1]) for r in rows[1:]) == sorted(
        (a["org_id"], a["code"], a["message"]) for a in alerts
    )
    assert {r[0] for r in rows[1:]} == {"=某镇党委", "第一党支部"}
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).worksheets[0]
    assert {c.data_type for c in sheet["A"][1:]} == {"s"}  # "=某镇党委" is text, not a formula

    as_csv = await api.client.get(
        f"{V1}/organisations/{committee}/alerts/export",
        params={"format": "csv"},
        headers=api.headers(),
    )
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert lines[0] == HEADERS and len(lines) - 1 == len(alerts)
    assert {line[0] for line in lines[1:]} == {"'=某镇党委", "第一党支部"}

    other_admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(elsewhere))
    hidden = await api.client.get(
        f"{V1}/organisations/{committee}/alerts/export", headers=other_admin
    )
    json_hidden = await api.client.get(
        f"{V1}/organisations/{committee}/alerts", headers=other_admin
    )
    assert (hidden.status_code, json_hidden.status_code) == (404, 404)
    assert hidden.json()["detail"] == json_hidden.json()["detail"]
    own_admin = api.headers(Role.ORG_ADMIN, org=uuid.UUID(branch))
    mine = await api.client.get(
        f"{V1}/organisations/{branch}/alerts/export", params={"format": "csv"}, headers=own_admin
    )
    assert mine.status_code == 200
    assert "=某镇党委" not in mine.content.decode("utf-8-sig")  # the committee is above it
    bad = await api.client.get(
        f"{V1}/organisations/{committee}/alerts/export",
        params={"format": "xls"},
        headers=api.headers(),
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "request.invalid")


async def test_the_cli_saves_the_download_or_says_the_problem_in_one_line(
    registry: tuple[Api, Any], tmp_path: Path
) -> None:
    api, app = registry
    committee, _, elsewhere = await small_tree(api)
    transport = httpx.ASGITransport(app=app)
    token = api.tokens.mint("clerk", [Role.ORG_ADMIN], uuid.UUID(committee))
    target = tmp_path / "预警.xlsx"
    saved = await export(
        Report.ALERTS,
        uuid.UUID(committee),
        SheetFormat.XLSX,
        target,
        base_url="http://test",
        token=token,
        transport=transport,
    )
    assert saved == target
    assert xlsx_rows(target.read_bytes())[0] == HEADERS

    outsider = api.tokens.mint("clerk", [Role.ORG_ADMIN], uuid.UUID(elsewhere))
    json_problem = (
        await api.client.get(
            f"{V1}/organisations/{committee}/alerts",
            headers={"Authorization": f"Bearer {outsider}"},
        )
    ).json()
    with pytest.raises(ExportFailed) as failed:
        await export(
            Report.ALERTS,
            uuid.UUID(committee),
            SheetFormat.CSV,
            tmp_path / "x.csv",
            base_url="http://test",
            token=outsider,
            transport=transport,
        )
    assert str(failed.value) == f"HTTP 404: {json_problem['detail']}"
    assert not (tmp_path / "x.csv").exists()


def test_the_cli_command_fails_in_one_line_when_the_server_is_not_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    org = str(uuid.uuid4())
    # Nothing listens on this port (the range kept for tests that start servers).
    args = ["export", "roster", "--org", org, "--format", "csv", "--url", "http://127.0.0.1:39199"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert result.output.startswith("jiceng export roster: cannot reach http://127.0.0.1:39199")
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_file_name_comes_from_content_disposition_without_folders() -> None:
    utf8 = "filename*=UTF-8''%E6%9F%90%E5%85%9A%E5%A7%94.xlsx"
    assert filename_of(f'attachment; filename="roster.xlsx"; {utf8}') == "某党委.xlsx"
    assert filename_of('attachment; filename="a.csv"') == "a.csv"
    assert filename_of("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd") == "passwd"
    assert filename_of("attachment") is None
