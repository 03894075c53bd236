"""``jiceng import <kind> FILE``: bring a roster in from xlsx or CSV, on the operator's
machine, against the service's own storage (the service may be running meanwhile).

Every row is checked first; nothing is written unless all are valid (or ``--accept-valid``);
``--dry-run`` only checks. The org tree copy is brought up to date first, so branches named
in the file are found; the service's own read models are caught up after the write.
"""

from __future__ import annotations

import asyncio
import getpass
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, NoReturn
from uuid import UUID, uuid4

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jiceng.auth.principal import Principal, Role
from jiceng.definition import ServiceDefinition, SheetImport
from jiceng.errors import JicengError
from jiceng.eventlog import EventMeta
from jiceng.followers.follower import Follower
from jiceng.followers.projecting import ProjectionFollower
from jiceng.followers.sources import UpstreamUnavailable
from jiceng.messages import Messages
from jiceng.registry import definition, service_names
from jiceng.settings import Settings
from jiceng.sheets.cells import CellError
from jiceng.sheets.fixing import fixable_xlsx
from jiceng.sheets.importing import run_import
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetFile
from jiceng.sheets.report import Report
from jiceng.sheets.template import template_xlsx

app = typer.Typer(help="Import rosters from spreadsheets (xlsx, CSV).", no_args_is_help=True)


def importers() -> dict[str, tuple[ServiceDefinition, SheetImport]]:
    """Every kind a service imports, with the service that owns it."""
    found = {}
    for name in service_names():
        service: ServiceDefinition = definition(name)
        for sheet in service.imports:
            found[sheet.kind] = (service, sheet)
    return found


def _command(kind: str) -> None:
    @app.command(kind, help=f"Import {kind} from FILE (xlsx or CSV): check every row, then write.")
    def command(
        file: Annotated[
            Path, typer.Argument(help="The spreadsheet (or, with --template, where to write one)")
        ],
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Check only; write nothing")
        ] = False,
        accept_valid: Annotated[
            bool,
            typer.Option("--accept-valid", help="Write the valid rows even if others are refused"),
        ] = False,
        mapping: Annotated[
            Path | None, typer.Option(help="TOML mapping of your column names and spellings")
        ] = None,
        report: Annotated[
            Path | None,
            typer.Option(
                help="Write the refused rows and their problems here (xlsx: fix, re-import)"
            ),
        ] = None,
        org: Annotated[
            UUID | None, typer.Option(help="Only into this organisation's subtree")
        ] = None,
        template: Annotated[
            bool, typer.Option("--template", help="Write an empty spreadsheet with the columns")
        ] = False,
        english: Annotated[bool, typer.Option("--english", help="Messages in English")] = False,
    ) -> None:
        service, sheet = importers()[kind]
        try:
            columns = Mapping.load(mapping).over(sheet.mapping()) if mapping else sheet.mapping()
        except (CellError, OSError) as error:
            _fail(error, service.texts(), english)
        if template:
            file.write_bytes(template_xlsx(columns, kind))
            headers = [columns.header(name) for name in columns.columns]
            print(f"wrote {file}: {', '.join(headers)}")
            return
        if not file.is_file():
            print(f"jiceng import: no such file: {file}")
            raise typer.Exit(2)
        outcome = asyncio.run(
            _import(service, sheet, SheetFile.from_path(file), columns, org, dry_run, accept_valid)
        )
        outcome.print(english=english)
        if report is not None:  # the refused rows to fix, as the file had them
            report.write_bytes(fixable_xlsx(SheetFile.from_path(file), columns, outcome))
            print(f"report: {report}")
        if not dry_run and outcome.refused and not accept_valid:
            summary = outcome.summary()
            print(
                outcome.messages.render(
                    "sheet.not_imported_file_invalid", summary, english=english
                )[1]
            )
        if any(p.row == 0 for p in outcome.problems):  # the file as a whole: not read
            raise typer.Exit(2)
        raise typer.Exit(1 if outcome.problem_count else 0)

    del command


for _kind in importers():
    _command(_kind)


async def _import(
    service: ServiceDefinition,
    sheet: SheetImport,
    file: SheetFile,
    columns: Mapping,
    org: UUID | None,
    dry_run: bool,
    accept_valid: bool,
) -> Report:
    runtime = service.build_runtime(Settings())
    await runtime.db.create_all()
    try:
        await _catch_up(runtime.followers.values())
        scope = await runtime.orgtree.get(org) if org else None
        if org and scope is None:
            print(f"jiceng import: organisation {org} is not in the tree")
            raise typer.Exit(2)
        # The operator on the service's machine: the whole tree, or the subtree named.
        principal = Principal(getpass.getuser(), frozenset({Role.PLATFORM_ADMIN}), via="cli")
        actor = principal.actor
        meta = EventMeta(actor=actor, reason=f"表格导入：{file.name}", correlation_id=str(uuid4()))
        importer = sheet.factory(runtime, principal, scope, meta)
        importer.mapping = columns
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
        ) as bar:
            checking = bar.add_task(f"checking {file.name}", total=None)
            writing = bar.add_task("writing", total=None, visible=False)

            def advance(done: int, total: int | None) -> None:
                if total is None:
                    bar.update(checking, completed=done)
                else:
                    bar.update(writing, completed=done, total=total, visible=True)

            outcome = await run_import(
                file,
                importer,
                actor=actor,
                dry_run=dry_run,
                accept_valid=accept_valid,
                on_progress=advance,
            )
        if outcome.written:
            await _catch_up(
                c for c in runtime.followers.values() if c.source.upstream == runtime.name
            )
        return outcome
    finally:
        await runtime.stop()


async def _catch_up(followers: Iterable[Follower]) -> None:
    """Bring read models up to their upstream's head (reactions, which write events, are
    left to the running service)."""
    for consumer in followers:
        if not isinstance(consumer, ProjectionFollower):
            continue
        try:
            await consumer.catch_up(timeout=600)
        except UpstreamUnavailable as error:
            print(f"{consumer.name}: not brought up to date, upstream unreachable ({error})")


def _fail(error: CellError | JicengError | OSError, texts: Messages, english: bool) -> NoReturn:
    if isinstance(error, OSError):
        print(f"jiceng import: {error}")
    else:
        print(f"jiceng import: {texts.render(error.code, error.params, english=english)[1]}")
    raise typer.Exit(2)
