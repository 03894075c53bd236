"""``jiceng export``: download a report of a subtree as an xlsx or CSV file, through the API.

The file is what the API answers the token's principal (its scope, its masks); the CLI only
saves it. An HTTP error is said in one line with the problem's detail, never a traceback.
"""

from __future__ import annotations

import asyncio
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from urllib.parse import unquote
from uuid import UUID

import httpx
import typer

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.settings import Settings
from jiceng.sheets.writing import SheetFormat

app = typer.Typer(help="Reports of a subtree as xlsx or CSV files.", no_args_is_help=True)


class Report(StrEnum):
    ROSTER = "roster"
    PIPELINE = "pipeline"
    TO_DO = "to-do"
    ALERTS = "alerts"


#: Where each report downloads from (below the gateway's base URL).
PATHS = {
    Report.ROSTER: "/member-lifecycle/v1/orgs/{org}/roster/export",
    Report.PIPELINE: "/member-lifecycle/v1/orgs/{org}/pipeline/export",
    Report.TO_DO: "/member-lifecycle/v1/orgs/{org}/to-do/export",
    Report.ALERTS: "/org-registry/v1/organisations/{org}/alerts/export",
}
#: Downloads of a large subtree take a while: the server reads every page before answering.
TIMEOUT_SECONDS = 300.0


class ExportFailed(Exception):
    """A download that did not give a file (the message is one line for the user)."""


async def fetch(
    report: Report,
    org: UUID,
    file_format: SheetFormat,
    *,
    base_url: str,
    token: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[bytes, str]:
    """The file's bytes and the name the server gives it."""
    path = PATHS[report].format(org=org)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=TIMEOUT_SECONDS, transport=transport
    ) as client:
        try:
            response = await client.get(path, params={"format": file_format.value})
        except httpx.HTTPError as error:
            raise ExportFailed(f"cannot reach {base_url}: {error}") from error
    if response.status_code != 200:
        raise ExportFailed(problem_line(response))
    name = filename_of(response.headers.get("content-disposition", ""))
    return response.content, name or f"{report.value}-{org}.{file_format.value}"


def problem_line(response: httpx.Response) -> str:
    """``HTTP 404: <detail>`` from an RFC 9457 problem (or the start of any other body)."""
    try:
        body = response.json()
        detail = str(body.get("detail") or body.get("title")) if isinstance(body, dict) else ""
    except ValueError:
        detail = ""
    detail = detail or response.text[:200]
    return f"HTTP {response.status_code}: {' '.join(detail.split())}"


def filename_of(disposition: str) -> str | None:
    """The file name of a ``Content-Disposition`` (``filename*`` first), without any folder."""
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition, re.IGNORECASE)
    if match:
        name = unquote(match.group(1))
    else:
        plain = re.search(r'filename="([^"]*)"', disposition)
        name = plain.group(1) if plain else ""
    name = Path(name.replace("\\", "/")).name
    return name if name not in ("", ".", "..") else None


async def export(
    report: Report,
    org: UUID,
    file_format: SheetFormat,
    output: Path | None,
    *,
    base_url: str,
    token: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Path:
    """Download ``report`` and write it to ``output`` (default: the server's name, here)."""
    content, name = await fetch(
        report, org, file_format, base_url=base_url, token=token, transport=transport
    )
    target = output if output is not None else Path(name)
    target.write_bytes(content)
    return target


def _add_command(report: Report, description: str) -> None:
    def command(
        org: Annotated[UUID, typer.Option(help="Organisation (its whole subtree)")],
        file_format: Annotated[SheetFormat, typer.Option("--format")] = SheetFormat.XLSX,
        output: Annotated[
            Path | None, typer.Option(help="Default: the server's file name, here")
        ] = None,
        url: Annotated[str | None, typer.Option(help="Base URL (default: the gateway)")] = None,
        token: Annotated[
            str | None,
            typer.Option(
                envvar="JICENG_TOKEN",
                help="Bearer token, or JICENG_TOKEN (keeps it out of `ps`); "
                "default: a platform_admin token minted with the configured key",
            ),
        ] = None,
    ) -> None:
        run(report, org, file_format, output, url, token)

    command.__doc__ = description
    app.command(report.value)(command)


_add_command(Report.ROSTER, "The roster (花名册): everyone on the register of the subtree, masked.")
_add_command(Report.PIPELINE, "The pipeline (发展党员进度): people by stage, step and domain.")
_add_command(Report.TO_DO, "The to-do list (待办事项): what is due within 30 days, and overdue.")
_add_command(Report.ALERTS, "Structural alerts (结构预警) of the subtree, with rule and pack.")


def run(
    report: Report,
    org: UUID,
    file_format: SheetFormat,
    output: Path | None,
    url: str | None,
    token: str | None,
) -> None:
    """Download with the settings' gateway and a platform_admin dev token unless given."""
    settings = Settings()
    bearer = token or TokenService(settings).mint("cli:export", [Role.PLATFORM_ADMIN])
    try:
        target = asyncio.run(
            export(
                report, org, file_format, output, base_url=url or settings.gateway_url, token=bearer
            )
        )
    except (ExportFailed, OSError) as error:
        print(f"jiceng export {report.value}: {error}", file=sys.stderr)
        raise typer.Exit(1) from None
    print(target)
