"""``jiceng feed``: print a service's event log, following it with long-poll."""

from __future__ import annotations

import json
import sys
import time

import httpx

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService
from jiceng.settings import Settings


def run(
    settings: Settings,
    service: str,
    *,
    after: int,
    follow: bool,
    types: str | None,
    as_json: bool,
    base_url: str,
) -> None:
    token = TokenService(settings).mint("cli:feed", [Role.AUDITOR])
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=90) as client:
        position = after
        while True:
            params: dict[str, str | int | float] = {"after": position, "limit": 500}
            if types:
                params["types"] = types
            if follow:
                params["wait"] = 30
            try:
                response = client.get(f"/{service}/v1/events", params=params)
            except httpx.TransportError as error:
                if not follow:
                    raise SystemExit(f"cannot reach {base_url}: {error}") from error
                print(f"# {service} unreachable, retrying: {error}", file=sys.stderr)
                time.sleep(2)
                continue
            if response.status_code != 200:
                raise SystemExit(f"HTTP {response.status_code}: {response.text}")
            page = response.json()
            for event in page["events"]:
                print(_format(event, as_json), flush=True)
            position = page["next_after"]
            if not follow and position >= page["head"]:
                return


def _format(event: dict[str, object], as_json: bool) -> str:
    if as_json:
        return json.dumps(event, ensure_ascii=False, sort_keys=True)
    payload = json.dumps(event["payload"], ensure_ascii=False, sort_keys=True)
    return (
        f"#{event['id']} {event['occurred_at']} {event['type']} "
        f"{event['stream_id']}@{event['stream_version']} by {event['actor']} "
        f"(corr {event['correlation_id']}) {payload}"
    )
