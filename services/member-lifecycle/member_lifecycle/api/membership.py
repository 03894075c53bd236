"""After admission: 组织关系转接, 流动党员, 失联/停止党籍/恢复, 限期改正, 留党察看, exits, and
members admitted before the system.

``POST /member-lifecycle/v1/people/{id}/<action>``; every action is one event on the person.
Each route parses its body into the action's command and calls its handler (:data:`ACTIONS`).
"""

# No ``from __future__ import annotations``: FastAPI must see each route's body model itself.

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from jiceng.api.concurrency import etag
from jiceng.api.deps import CommandCaller
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from jiceng.commands import Caller
from member_lifecycle.api.development import ApprovalBody, VoteBody
from member_lifecycle.api.records import PersonRecord
from member_lifecycle.api.support import Lifecycle
from member_lifecycle.commands import exits, moves, standing
from member_lifecycle.commands.base import PersonCommand
from member_lifecycle.commands.evidence import Naming
from member_lifecycle.commands.handlers import MemberLifecycleHandlers as H
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

    def naming(self) -> Naming:
        return Naming(
            vote=self.vote.given() if self.vote else None, approver_id=self.approver_org_id
        )


class Postponement(Dated):
    months: int = Field(ge=1, le=12)
    why: str = Field(min_length=1, max_length=1000)


class ImportMembership(Reasoned):
    stage: Literal["formal", "probationary"]
    admitted_on: Day = Field(description="支部大会 date of admission (党籍 counts from it)")
    formal_since: Day | None = Field(default=None, description="转正 date (党龄 counts from it)")
    source: str = Field(min_length=1, max_length=500, description="Where the record comes from")


Handle = Callable[[H, Any, Caller], Awaitable[Person]]


@dataclass(frozen=True)
class Action:
    """One route: its body, the command the body makes, and the command's handler."""

    path: str
    name: str
    summary: str
    body: type[BaseModel]  # with ``reason``, and what its command takes
    command: Callable[[UUID, Any], PersonCommand]  # (person id, body)
    handle: Handle


ACTIONS = [
    Action(
        "transfers",
        "send_transfer",
        "组织关系转出: send the letter (pending until accepted)",
        SendTransfer,
        lambda i, b: moves.SendTransfer(i, b.to_org_id, b.sent_on, b.letter),
        H.send_transfer,
    ),
    Action(
        "transfers/acceptance",
        "accept_transfer",
        "组织关系接收 (by the receiving organisation)",
        Dated,
        lambda i, b: moves.AcceptTransfer(i, b.on),
        H.accept_transfer,
    ),
    Action(
        "transfers/return",
        "return_transfer",
        "组织关系退回 (by the receiving organisation)",
        ReturnTransfer,
        lambda i, b: moves.ReturnTransfer(i, b.on, b.why),
        H.return_transfer,
    ),
    Action(
        "conversion-postponement",
        "postpone_conversion",
        "转入的预备党员: postpone the 转正 discussion (at most the pack's months)",
        Postponement,
        lambda i, b: moves.PostponeConversion(i, b.on, b.months, b.why),
        H.postpone_conversion,
    ),
    Action(
        "outflow",
        "register_outflow",
        "流动党员外出登记 (活动证 issued)",
        Outflow,
        lambda i, b: moves.RegisterOutflow(i, b.left_on, b.destination, b.certificate),
        H.register_outflow,
    ),
    Action(
        "outflow/contact",
        "record_outflow_contact",
        "流动党员联系 (moves the next contact date)",
        Dated,
        lambda i, b: moves.RecordOutflowContact(i, b.on),
        H.record_outflow_contact,
    ),
    Action(
        "outflow/return",
        "end_outflow",
        "流动党员返回",
        Dated,
        lambda i, b: moves.EndOutflow(i, b.on),
        H.end_outflow,
    ),
    Action(
        "lost-contact",
        "report_lost_contact",
        "失去联系: the date contact was lost",
        Dated,
        lambda i, b: standing.ReportLostContact(i, b.on),
        H.report_lost_contact,
    ),
    Action(
        "suspension",
        "suspend_membership",
        "停止党籍 (after more than six months out of contact)",
        Suspension,
        lambda i, b: standing.Suspend(i, b.on, b.body),
        H.suspend,
    ),
    Action(
        "restoration",
        "restore_membership",
        "恢复党籍 / contact regained",
        Dated,
        lambda i, b: standing.Restore(i, b.on),
        H.restore,
    ),
    Action(
        "rectification",
        "order_rectification",
        "限期改正 (at most the pack's months)",
        Rectification,
        lambda i, b: standing.OrderRectification(i, b.ordered_on, b.until),
        H.order_rectification,
    ),
    Action(
        "rectification/conclusion",
        "conclude_rectification",
        "限期改正期满: improved or not",
        RectificationConclusion,
        lambda i, b: standing.ConcludeRectification(i, b.on, b.improved),
        H.conclude_rectification,
    ),
    Action(
        "party-probation",
        "record_party_probation",
        "留党察看 (from a disciplinary decision)",
        PartyProbation,
        lambda i, b: standing.RecordPartyProbation(i, b.decided_on, b.until, b.decision),
        H.record_party_probation,
    ),
    Action(
        "exit",
        "record_exit",
        "退党, 自行脱党, 劝退, 除名, 开除党籍 or death",
        ExitBody,
        lambda i, b: exits.RecordExit(i, b.kind, b.fields(), b.naming()),
        H.record_exit,
    ),
    Action(
        "imported-membership",
        "import_membership",
        "Record a member admitted before the system (历史党员信息采集)",
        ImportMembership,
        lambda i, b: exits.ImportMembership(
            i, Stage.of(b.stage), b.admitted_on, b.formal_since, b.source
        ),
        H.import_membership,
    ),
]


def _route(a: Action) -> None:
    async def act(
        person_id: UUID,
        body: a.body,  # type: ignore[name-defined]
        response: Response,
        caller: CommandCaller,
        handlers: Lifecycle,
    ) -> PersonRecord:
        person = await a.handle(handlers, a.command(person_id, body), caller.because(body.reason))
        response.headers["ETag"] = etag(person.version)
        return PersonRecord.of(person, handlers.today)

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
