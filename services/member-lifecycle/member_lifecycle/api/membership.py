"""After admission: 组织关系转接, 流动党员, 失联/停止党籍/恢复, 限期改正, 留党察看, exits, and
members admitted before the system.

``POST /member-lifecycle/v1/people/{id}/<action>``; every action is one event on the person.
The routes are made from the table :data:`ACTIONS`.
"""

# No ``from __future__ import annotations``: FastAPI must see each route's body model itself.

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from jiceng.api.deps import Runtime, Writer, above_scope, in_scope
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from jiceng.auth.principal import Principal
from jiceng.errors import InvalidInput
from jiceng.runtime import ServiceRuntime
from member_lifecycle.api.development import ApprovalBody, VoteBody, step_fields
from member_lifecycle.api.records import PersonRecord
from member_lifecycle.api.support import IfMatch, command_on_person
from member_lifecycle.commands.step_inputs import Named, StepFields, exit_input
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import ExitKind, Stage

router = APIRouter(tags=["membership"], responses=error_responses(*COMMON_ERRORS))


class Reasoned(BaseModel):
    reason: str | None = Field(default=None, max_length=500)


class SendTransfer(Reasoned):
    to_org_id: UUID
    sent_on: Day
    letter: str = Field(min_length=1, max_length=100, description="介绍信编号")


class Dated(Reasoned):
    on: Day


class ReturnTransfer(Dated):
    why: str = Field(min_length=1, max_length=1000, description="Why it is returned")


class Outflow(Reasoned):
    left_on: Day
    destination: str = Field(min_length=1, max_length=200)
    certificate: str = Field(min_length=1, max_length=100, description="流动党员活动证编号")


class Suspension(Dated):
    body: str = Field(min_length=1, max_length=200, description="The deciding committee")


class Rectification(Reasoned):
    ordered_on: Day
    until: Day = Field(description="At most the pack's months (一年) after the order")


class RectificationConclusion(Dated):
    improved: bool


class PartyProbation(Reasoned):
    decided_on: Day
    until: Day
    decision: str = Field(min_length=1, max_length=200, description="处分决定文号")


class ExitBody(ApprovalBody):
    kind: ExitKind
    approver_org_id: UUID | None = None  # type: ignore[assignment]
    since: Day | None = Field(default=None, description="Start of an absence (自行脱党)")
    vote: VoteBody | None = None


class Postponement(Dated):
    months: int = Field(ge=1, le=12)
    why: str = Field(min_length=1, max_length=1000)


class ImportMembership(Reasoned):
    stage: Literal["formal", "probationary"]
    admitted_on: Day = Field(description="支部大会 date of admission (党籍 counts from it)")
    formal_since: Day | None = Field(default=None, description="转正 date (党龄 counts from it)")
    source: str = Field(min_length=1, max_length=500, description="Where the record comes from")


Prepare = Callable[[ServiceRuntime, Principal, Person, Any], Awaitable[Any]]


@dataclass(frozen=True)
class Action:
    """One route: its body and what it records (the body names the date the rules are taken on)."""

    path: str
    name: str
    summary: str
    body: type[Reasoned]
    record: Callable[[Any, Any, Person, Rules], None]  # (body, prepared, person, rules)
    prepare: Prepare | None = None
    receiving: bool = False  # checked in the scope of a pending transfer's destination


def _on(body: Any) -> date:
    for name in ("on", "sent_on", "left_on", "ordered_on", "decided_on", "admitted_on"):
        if hasattr(body, name):
            day: date = getattr(body, name)
            return day
    raise AssertionError("an action body names its date")  # pragma: no cover


@dataclass(frozen=True)
class Destination:
    id: UUID
    name: str | None  # None outside what the sender may see: the letter names the id only


async def _destination(
    runtime: ServiceRuntime, principal: Principal, _person: Person, body: SendTransfer
) -> Destination:
    """The receiving organisation. Transfers cross subtrees, so any active organisation may
    receive; its name is recorded only where the sender could read it anyway (its subtree
    and the committees above it)."""
    target = await runtime.orgtree.get(body.to_org_id)
    if target is None or target.status != "active":
        raise InvalidInput("transfer.destination_unknown", id=str(body.to_org_id))
    visible = await in_scope(runtime, principal, target) or await above_scope(
        runtime, principal, target
    )
    return Destination(target.id, target.name if visible else None)


async def _exit_evidence(
    runtime: ServiceRuntime, principal: Principal, person: Person, body: ExitBody
) -> tuple[StepFields, Named]:
    fields, named = await step_fields(runtime, principal, person, body)
    return replace(fields, since=body.since), named


ACTIONS = [
    Action(
        "transfers",
        "send_transfer",
        "组织关系转出: send the letter (pending until accepted)",
        SendTransfer,
        lambda b, target, p, r: p.send_transfer(target.id, target.name, b.sent_on, b.letter, r),
        prepare=_destination,
    ),
    Action(
        "transfers/acceptance",
        "accept_transfer",
        "组织关系接收 (by the receiving organisation)",
        Dated,
        lambda b, _, p, r: p.accept_transfer(b.on, r),
        receiving=True,
    ),
    Action(
        "transfers/return",
        "return_transfer",
        "组织关系退回 (by the receiving organisation)",
        ReturnTransfer,
        lambda b, _, p, r: p.return_transfer(b.on, b.why, r),
        receiving=True,
    ),
    Action(
        "conversion-postponement",
        "postpone_conversion",
        "转入的预备党员: postpone the 转正 discussion (at most the pack's months)",
        Postponement,
        lambda b, _, p, r: p.postpone_conversion(b.on, b.months, b.why, r),
    ),
    Action(
        "outflow",
        "register_outflow",
        "流动党员外出登记 (活动证 issued)",
        Outflow,
        lambda b, _, p, r: p.register_outflow(b.left_on, b.destination, b.certificate, r),
    ),
    Action(
        "outflow/contact",
        "record_outflow_contact",
        "流动党员联系 (moves the next contact date)",
        Dated,
        lambda b, _, p, r: p.record_outflow_contact(b.on, r),
    ),
    Action(
        "outflow/return",
        "end_outflow",
        "流动党员返回",
        Dated,
        lambda b, _, p, r: p.end_outflow(b.on, r),
    ),
    Action(
        "lost-contact",
        "report_lost_contact",
        "失去联系: the date contact was lost",
        Dated,
        lambda b, _, p, r: p.report_lost_contact(b.on, r),
    ),
    Action(
        "suspension",
        "suspend_membership",
        "停止党籍 (after more than six months out of contact)",
        Suspension,
        lambda b, _, p, r: p.suspend(b.on, b.body, r),
    ),
    Action(
        "restoration",
        "restore_membership",
        "恢复党籍 / contact regained",
        Dated,
        lambda b, _, p, r: p.restore(b.on, r),
    ),
    Action(
        "rectification",
        "order_rectification",
        "限期改正 (at most the pack's months)",
        Rectification,
        lambda b, _, p, r: p.order_rectification(b.ordered_on, b.until, r),
    ),
    Action(
        "rectification/conclusion",
        "conclude_rectification",
        "限期改正期满: improved or not",
        RectificationConclusion,
        lambda b, _, p, r: p.conclude_rectification(b.on, b.improved, r),
    ),
    Action(
        "party-probation",
        "record_party_probation",
        "留党察看 (from a disciplinary decision)",
        PartyProbation,
        lambda b, _, p, r: p.record_party_probation(b.decided_on, b.until, b.decision, r),
    ),
    Action(
        "exit",
        "record_exit",
        "退党, 自行脱党, 劝退, 除名, 开除党籍 or death",
        ExitBody,
        lambda b, given, p, r: p.leave(b.kind, exit_input(b.kind, *given), r),
        prepare=_exit_evidence,
    ),
    Action(
        "imported-membership",
        "import_membership",
        "Record a member admitted before the system (历史党员信息采集)",
        ImportMembership,
        lambda b, _, p, r: p.import_membership(
            Stage.of(b.stage), b.admitted_on, b.formal_since, b.source, r
        ),
    ),
]


def _route(a: Action) -> None:
    async def act(
        person_id: UUID,
        body: a.body,  # type: ignore[name-defined]
        request: Request,
        response: Response,
        runtime: Runtime,
        principal: Writer,
        if_match: IfMatch = None,
    ) -> PersonRecord:
        prepare = a.prepare
        person = await command_on_person(
            runtime,
            request,
            response,
            principal,
            person_id,
            _on(body),
            lambda p, rules, prepared: a.record(body, prepared, p, rules),
            reason=body.reason,
            if_match=if_match,
            prepare=(lambda person: prepare(runtime, principal, person, body)) if prepare else None,
            receiving=a.receiving,
        )
        return PersonRecord.of(person)

    router.add_api_route(
        f"/people/{{person_id}}/{a.path}",
        act,
        methods=["POST"],
        name=a.name,
        summary=a.summary,
        response_model=PersonRecord,
        responses=error_responses(404, 412, 422),
    )


for _action in ACTIONS:
    _route(_action)
