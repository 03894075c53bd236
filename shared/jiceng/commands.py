"""The service layer every command goes through; no web framework below this line.

A route parses the request into a frozen command object and passes it, with the
:class:`Caller` the kernel's dependencies built (principal, attribution, If-Match), to the
command's handler, a method of the service's :class:`Handlers`. The handler

1. checks the caller's scope on the org-tree copy (:meth:`Handlers.visible`),
2. takes the rules in force on the command's date (:meth:`Handlers.rules_on`),
3. makes ONE worker-thread call that loads the aggregate, checks the version the caller saw,
   runs the aggregate's public command and saves everything it touched in one transaction
   (:meth:`Handlers.change`, :meth:`Handlers.create`), naming the pack in the events,
4. and waits until this service's own read models show the result (read-your-writes),

then returns the aggregate for the route to shape the response.

Under an ``Idempotency-Key`` each save records its claim in its own transaction; a retry whose
save is already recorded (the first try crashed, timed out or answered 5xx after its commit,
or runs at the same time) skips the command and returns the aggregate as that save left it,
so the route shapes the first outcome again. A handler needs nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Generic, TypeVar, cast
from uuid import UUID

import anyio
from eventsourcing.domain import Aggregate

from jiceng import scope
from jiceng.auth.principal import Principal
from jiceng.eventlog.application import EventLog
from jiceng.eventlog.journal import RecordedSave, SaveClaim
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.versions import check_version
from jiceng.idempotent import next_claim
from jiceng.orgtree.queries import OrgNode, OrgTree
from jiceng.policy import Policy
from jiceng.policy.catalogue import DEFAULT_PACK
from jiceng.runtime import ServiceRuntime

L = TypeVar("L", bound=EventLog)
A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")


@dataclass(frozen=True)
class Caller:
    """Who issues a command: the principal, how its events are attributed, and the version
    of the aggregate the caller based it on (``If-Match``; ``None``: any)."""

    principal: Principal
    meta: EventMeta
    expected_version: int | None = None

    def because(self, reason: str | None) -> Caller:
        """The same caller, giving ``reason`` for what the command records."""
        return replace(self, meta=replace(self.meta, reason=reason))


def log_of(runtime: ServiceRuntime, kind: type[L]) -> L:
    """The runtime's log as the service's own application class (checked once, where the
    composition root builds the handlers)."""
    if not isinstance(runtime.log, kind):  # pragma: no cover - a composition root's mistake
        msg = f"{runtime.name} runs {type(runtime.log).__name__}, not {kind.__name__}"
        raise TypeError(msg)
    return runtime.log


class Handlers(Generic[L]):
    """The base of a service's command handlers: the runtime's parts, and the common steps.

    A service subclasses it once (``class MemberLifecycleHandlers(Handlers[MemberLifecycle])``)
    and writes one ``async def`` per command; its composition root builds it with the log it
    made, so no handler ever downcasts the runtime's log.
    """

    def __init__(self, runtime: ServiceRuntime, log: L) -> None:
        self.runtime = runtime
        self.log = log

    @property
    def orgtree(self) -> OrgTree:
        """The runtime's copy of the org tree (read through it, so a part swapped in the
        composition root is the one every handler sees)."""
        return self.runtime.orgtree

    @property
    def today(self) -> date:
        """Today in Beijing, from the clock the composition root injected."""
        return self.runtime.clock()

    # -- 1. scope ---------------------------------------------------------------------------
    async def visible(
        self,
        caller: Caller | Principal,
        org_id: UUID,
        *,
        resource: str = "organisation",
        resource_id: UUID | None = None,
    ) -> OrgNode:
        """The organisation if the caller may see it; else the 404 of a missing ``resource``."""
        principal = caller.principal if isinstance(caller, Caller) else caller
        if resource_id is None:
            return await scope.visible_org(self.orgtree, principal, org_id)
        return await scope.visible_owner(self.orgtree, principal, org_id, resource, resource_id)

    # -- 2. the rules in force ----------------------------------------------------------------
    async def rules_on(self, node: OrgNode | None, on: date) -> Policy:
        """The pack in force for ``node`` on ``on`` (the default pack for a new root)."""
        if node is None:
            return self.runtime.catalogue.in_force(DEFAULT_PACK, on)
        return await self.orgtree.pack_in_force(node, on)

    # -- 3 and 4. one worker-thread call, then read-your-writes -----------------------------------
    async def change(
        self,
        caller: Caller,
        load: Callable[[], A],
        act: Callable[[A], Iterable[Aggregate] | None],
        *,
        pack: Policy | None = None,
    ) -> A:
        """Load, check the caller's version, ``act`` (it may return other aggregates it
        changed), save all in one transaction attributed to the caller (and ``pack``), then
        wait for this service's read models. A concurrent change raises ``StaleVersion``."""

        def work() -> tuple[A, int]:
            claim = next_claim()
            return self._once(claim, lambda: self._changed(caller, pack, claim, load, act))

        aggregate, position = await anyio.to_thread.run_sync(work)
        await self.runtime.read_your_writes(position)
        return aggregate

    async def create(
        self,
        caller: Caller,
        make: Callable[[], A | tuple[A, Iterable[Aggregate]]],
        *,
        pack: Policy | None = None,
    ) -> A:
        """Make a new aggregate (with any others it changes) and save them like :meth:`change`."""

        def made(claim: SaveClaim | None) -> tuple[A, int]:
            result = make()
            aggregate, others = result if isinstance(result, tuple) else (result, ())
            return aggregate, self._save(caller, pack, claim, aggregate, *others)

        def work() -> tuple[A, int]:
            claim = next_claim()
            return self._once(claim, lambda: made(claim))

        aggregate, position = await anyio.to_thread.run_sync(work)
        await self.runtime.read_your_writes(position)
        return aggregate

    def _changed(
        self,
        caller: Caller,
        pack: Policy | None,
        claim: SaveClaim | None,
        load: Callable[[], A],
        act: Callable[[A], Iterable[Aggregate] | None],
    ) -> tuple[A, int]:
        aggregate = load()
        check_version(caller.expected_version, aggregate.version)
        others = act(aggregate) or ()
        return aggregate, self._save(caller, pack, claim, aggregate, *others)

    def _once(self, claim: SaveClaim | None, run: Callable[[], tuple[A, int]]) -> tuple[A, int]:
        """``run`` the command, unless this save of the keyed request is recorded already.

        A try that fails (a conflict, a rule, a stale If-Match) because another try of the
        same request committed first answers with that try's outcome.
        """
        if claim is None:
            return run()
        recorded = self.log.recorded_save(claim)
        if recorded is not None:
            return self._as_recorded(recorded)
        try:
            return run()
        except Exception:
            recorded = self.log.recorded_save(claim)
            if recorded is None:
                raise
            return self._as_recorded(recorded)

    def _as_recorded(self, recorded: RecordedSave) -> tuple[A, int]:
        stream, version = recorded.streams[0]
        aggregate: Aggregate = self.log.repository.get(UUID(stream), version=version)
        return cast(A, aggregate), recorded.position

    async def read(self, query: Callable[[], T]) -> T:
        """Run a synchronous read of the event store in a worker thread."""
        return await anyio.to_thread.run_sync(query)

    def _save(
        self, caller: Caller, pack: Policy | None, claim: SaveClaim | None, *aggregates: Aggregate
    ) -> int:
        meta = caller.meta.with_pack(pack.ref) if pack is not None else caller.meta
        return self.log.save(*aggregates, meta=meta, claim=claim)[-1].notification.id
