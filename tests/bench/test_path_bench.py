"""The development path: commands per second through the rules, against the bare appends.

- path: people walked through all 25 steps on SQLite, each step a whole command (load the
  person, decide under the pack and calendar, save one event);
- baseline: the same number of commands that load a person and save one event with no rule
  (an empty standing note), on a log of the same size.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from uuid import UUID

from jiceng.eventlog import EventMeta, Storage
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.domain.person import Person
from path_support import PATH, person, rules

PEOPLE = 200
META = EventMeta(actor="bench")
#: An event with no rule behind it: the person's standing event, recording nothing.
NOTHING = {"action": "note", "on": date(2026, 1, 1), "evidence": {}, "changes": {}}


def command(app: MemberLifecycle, person_id: UUID, act: Callable[[Person], None]) -> None:
    """What a handler's worker-thread call does: load, act, save."""
    person = app.person(person_id)
    act(person)
    app.save(person, meta=META)


def test_path_commands_against_bare_appends(tmp_path: Path) -> None:
    app = MemberLifecycle(
        Storage(service="member-lifecycle", kind="sqlite", directory=tmp_path / "path")
    )
    ids = []
    for n in range(PEOPLE):
        p = person(serial=2 * n + 1)
        app.save(p, meta=META)
        ids.append(p.id)
    r = rules()
    started = time.perf_counter()
    for person_id in ids:
        for step, given in PATH:
            command(app, person_id, lambda p, s=step, g=given: p.take_step(s, g, r))
    path_seconds = time.perf_counter() - started
    commands = PEOPLE * len(PATH)

    bare = MemberLifecycle(
        Storage(service="member-lifecycle", kind="sqlite", directory=tmp_path / "bare")
    )
    plain = [person(serial=2 * n + 1) for n in range(PEOPLE)]
    for p in plain:
        bare.save(p, meta=META)
    started = time.perf_counter()
    for p in plain:
        for _ in PATH:
            command(bare, p.id, lambda q: q._standing_recorded(**NOTHING))
    bare_seconds = time.perf_counter() - started

    path_rate, bare_rate = commands / path_seconds, commands / bare_seconds
    print(
        f"\n{PEOPLE} people x {len(PATH)} commands (25 steps, one assessment twice; SQLite): "
        f"{path_rate:,.0f} commands/s = "
        f"{path_rate / bare_rate:.2f} x load-and-append one event with no rule "
        f"({bare_rate:,.0f}/s)"
    )
    assert app.person(ids[-1]).stage == "formal"
