"""``jiceng consumers``: followers' dead letters, for operators."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from jiceng.followers.retrying import Retried, retry_dead_letters
from jiceng.registry import definition, service_names
from jiceng.settings import Settings

app = typer.Typer(help="Followers and their dead letters.", no_args_is_help=True)


def _service(name: str) -> str:
    if name not in service_names():
        raise typer.BadParameter(f"one of {', '.join(service_names())}")
    return name


async def _retry(service: str, consumer: str | None, event: int | None) -> list[Retried]:
    runtime = definition(service).build_runtime(Settings())
    await runtime.db.create_all()
    try:
        return await retry_dead_letters(
            runtime.followers, runtime.db, consumer=consumer, event_id=event
        )
    finally:
        await runtime.stop()


@app.command("retry")
def retry(
    service: Annotated[str, typer.Argument(callback=_service, help="Whose followers")],
    consumer: Annotated[str | None, typer.Option(help="Only this follower")] = None,
    event: Annotated[int | None, typer.Option(help="Only this event id")] = None,
) -> None:
    """Apply dead-lettered events again (after the cause was fixed); exit 1 if any still fail."""
    results = asyncio.run(_retry(service, consumer, event))
    for result in results:
        outcome = "applied" if result.applied else f"still failing: {result.error}"
        print(f"{result.consumer} event {result.event_id}: {outcome}")
    print(f"{sum(r.applied for r in results)} of {len(results)} dead letters applied")
    raise typer.Exit(0 if all(r.applied for r in results) else 1)
