"""The command layer: a route builds the command and calls its handler, which reaches the
person's own command in one worker-thread call (load, check, act, save)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

import httpx
import pytest

from jiceng.auth.principal import Principal, Role
from jiceng.auth.tokens import TokenService
from jiceng.commands import Caller, log_of
from jiceng.errors import StaleVersion
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.storage import Storage
from jiceng.policy import Policy
from jiceng.settings import Settings
from member_lifecycle.application import MemberLifecycle
from member_lifecycle.bootstrap import create_app
from member_lifecycle.commands.handlers import MemberLifecycleHandlers
from member_lifecycle.demo_path import requests
from member_lifecycle.domain.person import Person
from path_support import TODAY as PATH_TODAY
from support import Api, copy_of_org, formal_members, register_person

V1 = "/member-lifecycle/v1"


class Watched(MemberLifecycleHandlers):
    """The service's handlers, noting each worker-thread call and the thread each part of it
    runs in."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.calls: list[tuple[str, set[int]]] = []

    async def change(
        self,
        caller: Caller,
        load: Callable[[], Any],
        act: Callable[[Any], Iterable[Any] | None],
        *,
        pack: Policy | None = None,
    ) -> Any:
        threads: set[int] = set()

        def loading() -> Any:
            threads.add(threading.get_ident())
            return load()

        def acting(aggregate: Any) -> Iterable[Any] | None:
            threads.add(threading.get_ident())
            return act(aggregate)

        self.calls.append(("change", threads))
        return await super().change(caller, loading, acting, pack=pack)

    async def read(self, query: Callable[[], Any]) -> Any:
        self.calls.append(("read", set()))
        return await super().read(query)


@pytest.fixture
async def watched(settings: Settings, tokens: TokenService) -> AsyncIterator[tuple[Api, Watched]]:
    app = create_app(settings, storage=Storage.memory("member-lifecycle"))
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        # The composition root's part, swapped: the same handlers, watched.
        app.state.handlers = Watched(runtime, log_of(runtime, MemberLifecycle))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, runtime, tokens), app.state.handlers


async def test_an_admission_vote_is_one_worker_thread_call_into_the_person(
    watched: tuple[Api, Watched],
) -> None:
    api, handlers = watched
    committee = await copy_of_org(api, "某大学党委", "committee", None)
    branch = await copy_of_org(api, "计算机学院学生第一党支部", "branch", committee)
    contacts = await formal_members(api, branch, 3)
    person = await register_person(api, branch, 1)
    path = requests(contacts[:2], [contacts[0], contacts[2]], committee)
    for action, body in path[: [a for a, _ in path].index("admission-vote")]:
        answer = await api.client.post(
            f"{V1}/people/{person}/{action}", json=body, headers=api.headers()
        )
        assert answer.status_code == 200, answer.text

    handlers.calls.clear()
    vote = dict(path)["admission-vote"]
    answer = await api.client.post(
        f"{V1}/people/{person}/admission-vote", json=vote, headers=api.headers()
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["stage"] == "candidate"
    # One call into a worker thread: it loaded the person and ran their command there, off
    # the event loop; nothing else was read from the event store.
    [(kind, threads)] = handlers.calls
    assert kind == "change" and len(threads) == 1
    assert threads != {threading.get_ident()}
    admitted: Person = api.runtime.log.person(person)  # type: ignore[attr-defined]
    assert "admission_vote" in admitted.steps


async def test_a_record_moved_since_its_scope_was_checked_is_not_changed(
    watched: tuple[Api, Watched],
) -> None:
    """The scope is checked on the branch the read model shows; should the record have
    moved before the worker thread loads it, the command is refused as stale, unsaved."""
    api, handlers = watched
    here = await copy_of_org(api, "甲支部", "branch", None)
    elsewhere = await copy_of_org(api, "乙支部", "branch", None)
    person = UUID(await register_person(api, here, 1))
    caller = Caller(Principal("admin", frozenset({Role.PLATFORM_ADMIN})), EventMeta(actor="t"))
    kept = await handlers.kept(caller, person)
    assert str(kept.branch.id) == here
    node = await api.runtime.orgtree.get(UUID(elsewhere))
    assert node is not None
    moved = replace(kept, branch=node)  # as if the read model were behind a transfer
    rules = await handlers.rules(kept.branch, date(2026, 1, 1))
    with pytest.raises(StaleVersion):
        await handlers.change_person(caller, moved, rules.policy, lambda p: None)
    assert api.runtime.log.person(person).version == 1  # type: ignore[attr-defined]


async def test_a_route_dates_by_the_clock_the_service_was_composed_with(lifecycle_api: Api) -> None:
    """The voting roll's default day is the injected clock's today, not the machine's."""
    api = lifecycle_api
    branch = await copy_of_org(api, "甲支部", "branch", None)
    roll = await api.client.get(f"{V1}/orgs/{branch}/voting-roll", headers=api.headers())
    assert roll.status_code == 200, roll.text
    assert roll.json()["on"] == api.runtime.clock().isoformat() == PATH_TODAY.isoformat()
