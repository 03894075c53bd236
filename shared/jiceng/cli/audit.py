"""``jiceng audit``: export a service's log with its chain, and verify bundles."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

from jiceng.audit.bundle import Bundle, Report, verify
from jiceng.registry import definition, service_names
from jiceng.settings import Settings

app = typer.Typer(help="Tamper evidence: export and verify event logs.", no_args_is_help=True)


def _service(name: str) -> str:
    if name not in service_names():
        raise typer.BadParameter(f"one of {', '.join(service_names())}")
    return name


async def _live(service: str) -> Bundle:
    from jiceng.audit.export import live_bundle

    runtime = definition(service).build_runtime(Settings())
    await runtime.db.create_all()
    try:
        return await live_bundle(runtime)
    finally:
        await runtime.stop()


@app.command("export")
def export(
    service: Annotated[str, typer.Argument(callback=_service)],
    to: Annotated[Path, typer.Option("--to", help="Folder to write the bundle into")],
) -> None:
    """Write the events (JSONL), their digests and the signed checkpoints to a folder."""
    bundle = asyncio.run(_live(service))
    bundle.write(to)
    print(
        f"{service}: {len(bundle.events)} events, {len(bundle.digests)} digests, "
        f"{len(bundle.checkpoints)} checkpoints → {to}"
    )


@app.command("checkpoint")
def checkpoint(service: Annotated[str, typer.Argument(callback=_service)]) -> None:
    """Sign a checkpoint of the chain's head now."""

    async def sign() -> dict[str, object] | None:
        runtime = definition(service).build_runtime(Settings())
        await runtime.db.create_all()
        try:
            assert runtime.auditor is not None
            signed: dict[str, object] | None = await runtime.auditor.sign_checkpoint()
            return signed
        finally:
            await runtime.stop()

    print(json.dumps(asyncio.run(sign()), ensure_ascii=False))


@app.command("public-key")
def public_key() -> None:
    """Print the public key of the configured JICENG_AUDIT_SIGNING_KEY: what auditors pass
    to `verify --trust-key` (give them the new one before a rotation)."""
    from jiceng.audit.service import signer_for

    print(signer_for(Settings()).public_key)


@app.command("verify")
def verify_command(
    folder: Annotated[Path | None, typer.Argument(help="A bundle written by export")] = None,
    live: Annotated[str | None, typer.Option("--live", help="Verify a service's storage")] = None,
    checkpoints: Annotated[
        list[Path] | None,
        typer.Option("--checkpoints", help="checkpoints.jsonl of an earlier export (repeatable)"),
    ] = None,
    trust_key: Annotated[
        list[str] | None, typer.Option("--trust-key", help="Accept only these signing keys")
    ] = None,
) -> None:
    """Recompute every digest and signature; exit 1 naming what does not match."""
    if (folder is None) == (live is None):
        raise typer.BadParameter("give a bundle folder or --live SERVICE")
    bundle = Bundle.read(folder) if folder else asyncio.run(_live(_service(str(live))))
    extra = []
    for path in checkpoints or []:
        extra += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    report = verify(
        bundle, extra_checkpoints=extra, trusted_keys=set(trust_key) if trust_key else None
    )
    _print(report)
    raise typer.Exit(0 if report.ok else 1)


def _print(report: Report) -> None:
    print(
        f"{report.service}: {report.events} events, {report.chained} chained, "
        f"{report.checkpoints} checkpoints checked"
    )
    if report.ok:
        print("OK: every event matches its digest; every checkpoint verifies")
        return
    first = report.first
    assert first is not None
    print(f"FAILED: first problem at event {first.event_id}: {first.detail}")
    for finding in report.findings:
        print(f"  - [{finding.kind}] {finding.detail}")
