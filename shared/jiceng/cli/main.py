"""``jiceng``: run the services, mint tokens, follow feeds, rebuild projections."""

from __future__ import annotations

import asyncio
import json
import sys
from enum import StrEnum
from typing import Annotated
from uuid import UUID

import typer
from pydantic import ValidationError

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService, hash_api_key, new_api_key
from jiceng.cli import audit as audit_cli
from jiceng.cli import consumers as consumers_cli
from jiceng.cli import export as export_cli
from jiceng.cli import feed as feed_cli
from jiceng.cli import imports as import_cli
from jiceng.cli import up as up_cli
from jiceng.outage import database_refusal
from jiceng.registry import definition, service_names
from jiceng.settings import Settings, SettingsRefused, feed_credential_refusal

app = typer.Typer(
    help="Jiceng (基层): grassroots Party organisation work.",
    no_args_is_help=True,
    # A traceback's locals would show settings, secrets among them.
    pretty_exceptions_show_locals=False,
)
projections = typer.Typer(help="Read models.", no_args_is_help=True)
apikey = typer.Typer(help="API keys for machine clients.", no_args_is_help=True)
app.add_typer(projections, name="projections")
app.add_typer(apikey, name="apikey")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(consumers_cli.app, name="consumers")
app.add_typer(import_cli.app, name="import")
app.add_typer(export_cli.app, name="export")

ServiceName = StrEnum("ServiceName", {s.replace("-", "_"): s for s in service_names()})  # type: ignore[misc]


@app.command()
def up(
    demo: Annotated[bool, typer.Option(help="Load demo data into empty logs")] = False,
) -> None:
    """Start all four services and the gateway; Ctrl-C stops them."""
    raise typer.Exit(up_cli.run(Settings(), demo=demo))


@app.command()
def serve(
    service: Annotated[ServiceName, typer.Argument(help="Which service")],
    port: Annotated[int | None, typer.Option(help="Default: the service's own port")] = None,
) -> None:
    """Run one service (API and its consumers)."""
    settings = Settings()
    if settings.run_consumers:
        _refuse_unreadable_feeds(settings, str(service.value))
    up_cli.serve(settings, str(service.value), port)


def _refuse_unreadable_feeds(settings: Settings, service: str) -> None:
    """Followers that could not read their upstreams refuse to start (rather than start,
    pass readiness, and fail on every page)."""
    refusal = feed_credential_refusal(settings, definition(service).upstreams(settings))
    if refusal:
        raise SettingsRefused(refusal)


@app.command("follow")
def follow_command(
    service: Annotated[ServiceName, typer.Argument(help="Which service")],
    port: Annotated[
        int | None, typer.Option(help="Health and metrics port (default: service port + 100)")
    ] = None,
) -> None:
    """Run one service's followers and reactions without its API (one active per
    subscription across processes; the others stand by)."""
    from jiceng.cli.follow import follow

    settings = Settings()
    _refuse_unreadable_feeds(settings, str(service.value))
    follow(settings, str(service.value), port)


@app.command()
def gateway() -> None:
    """Run the development gateway in front of the services."""
    up_cli.serve_gateway(Settings())


@app.command()
def token(
    role: Annotated[list[Role], typer.Option(help="Role (repeatable)")],
    org: Annotated[UUID | None, typer.Option(help="Organisation subtree in scope")] = None,
    subject: Annotated[str, typer.Option(help="Subject (user id)")] = "dev-user",
    ttl_hours: Annotated[float, typer.Option(help="Lifetime in hours")] = 12,
) -> None:
    """Mint a bearer token signed with the configured key (dev: the dev secret)."""
    print(TokenService(Settings()).mint(subject, role, org, ttl_seconds=int(ttl_hours * 3600)))


@apikey.command("new")
def apikey_new(
    name: Annotated[str, typer.Option(help="Client name (the events' actor)")],
    role: Annotated[list[Role], typer.Option(help="Role (repeatable)")],
    org: Annotated[UUID | None, typer.Option(help="Organisation subtree in scope")] = None,
) -> None:
    """Create an API key: prints the key once, and the entry (hash only) for JICENG_API_KEYS."""
    key = new_api_key()
    entry = {"name": name, "sha256": hash_api_key(key), "roles": [r.value for r in role]}
    if org:
        entry["org"] = str(org)
    print(f"key (give to the client, not stored anywhere): {key}")
    print(f"add to JICENG_API_KEYS: {json.dumps(entry, ensure_ascii=False)}")


@app.command()
def feed(
    service: Annotated[ServiceName, typer.Argument(help="Whose log")],
    after: Annotated[int, typer.Option(help="Start after this event id")] = 0,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep waiting for events")] = False,
    types: Annotated[str | None, typer.Option(help="Comma-separated event types")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
    url: Annotated[str | None, typer.Option(help="Base URL (default: the gateway)")] = None,
) -> None:
    """Print a service's event log (as an auditor), optionally following it."""
    settings = Settings()
    feed_cli.run(
        settings,
        str(service.value),
        after=after,
        follow=follow,
        types=types,
        as_json=as_json,
        base_url=url or settings.gateway_url,
    )


@projections.command("rebuild")
def projections_rebuild(service: Annotated[ServiceName, typer.Argument()]) -> None:
    """Drop a service's read models and replay them from position zero."""
    from jiceng.cli.maintenance import rebuild

    results = asyncio.run(rebuild(Settings(), str(service.value)))
    raise typer.Exit(0 if all(r.equal for r in results) else 1)


@app.command()
def migrate(
    service: Annotated[ServiceName | None, typer.Argument(help="Default: every service")] = None,
) -> None:
    """Create schemas and tables, then exit (run once before a deployment starts its pods)."""
    from jiceng.cli.maintenance import migrate as run_migration

    settings = Settings()
    for name in [str(service.value)] if service else list(service_names()):
        print(f"{name}: ready at {asyncio.run(run_migration(settings, name))}")


def main() -> None:
    """The ``jiceng`` command: settings refused at start-up are said in one line (exit 2), and
    so is what the database refused (a login, a privilege; exit 1)."""
    try:
        app(standalone_mode=True)
    except ValidationError as error:
        reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        print(f"jiceng: settings refused: {reasons}", file=sys.stderr)
        raise SystemExit(2) from None
    except SettingsRefused as error:
        print(f"jiceng: settings refused: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    except Exception as error:
        refusal = database_refusal(error)
        if refusal is None:
            raise
        print(f"jiceng: the database refused: {refusal}", file=sys.stderr)
        raise SystemExit(1) from None
