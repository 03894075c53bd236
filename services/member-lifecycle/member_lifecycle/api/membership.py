"""After admission: 组织关系转接, 流动党员, 失联/停止党籍/恢复, 限期改正, 留党察看, and exits.

``POST /member-lifecycle/v1/people/{id}/<action>``; every action is one event on the person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Literal
from uuid import UUID

import anyio
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from jiceng.api.deps import Runtime, Writer, visible_org
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.auth.principal import Principal
from jiceng.errors import InvalidInput
from member_lifecycle.api.development import ApprovalBody, VoteBody, step_input
from member_lifecycle.api.records import PersonRecord
from member_lifecycle.api.support import IfMatch, branch_of, lifecycle, rules_for, run
from member_lifecycle.domain import after_admission as rules_after
from member_lifecycle.domain.decision import Decision, Rules
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import ExitKind, Stage

router = APIRouter(tags=["membership"], responses=error_responses(*COMMON_ERRORS))
RESPONSES = error_responses(404, 412, 422)


class Reasoned(BaseModel):
    reason: str | None = Field(default=None, max_length=500)


class SendTransfer(Reasoned):
    to_org_id: UUID
    sent_on: date
    letter: str = Field(min_length=1, max_length=100, description="介绍信编号")


class Dated(Reasoned):
    on: date


class ReturnTransfer(Dated):
    why: str = Field(min_length=1, max_length=1000, description="Why it is returned")


class Outflow(Reasoned):
    left_on: date
    destination: str = Field(min_length=1, max_length=200)
    certificate: str = Field(min_length=1, max_length=100, description="流动党员活动证编号")


class Suspension(Dated):
    body: str = Field(min_length=1, max_length=200, description="The deciding committee")


class Rectification(Reasoned):
    ordered_on: date
    until: date = Field(description="At most the pack's months (一年) after the order")


class RectificationConclusion(Dated):
    improved: bool


class PartyProbation(Reasoned):
    decided_on: date
    until: date
    decision: str = Field(min_length=1, max_length=200, description="处分决定文号")


class ExitBody(ApprovalBody):
    kind: ExitKind
    approver_org_id: UUID | None = None  # type: ignore[assignment]
    since: date | None = Field(default=None, description="Start of an absence (自行脱党)")
    vote: VoteBody | None = None


Record = Callable[[Person, Rules], None]


async def _act(
    runtime: Runtime,
    request: Request,
    response: Response,
    principal: Principal,
    person_id: UUID,
    on: date,
    record: Record,
    reason: str | None,
    if_match: str | None,
    *,
    receiving: bool = False,
) -> PersonRecord:
    """Check scope (the receiving organisation's for a pending transfer), then record."""
    person = await anyio.to_thread.run_sync(lambda: lifecycle(runtime).person(person_id))
    scope = person.branch_id
    if receiving and person.transfer is not None:
        scope = UUID(person.transfer["to_id"])
    await visible_org(runtime, principal, scope)
    rules = await rules_for(runtime, await branch_of(runtime, person), on)
    person = await run(
        runtime,
        request,
        response,
        principal,
        person_id,
        lambda p: record(p, rules),
        reason=reason,
        if_match=if_match,
        pack=rules.policy.ref,
    )
    return PersonRecord.of(person)


def _family(
    family: str, action: str, on: date, decide: Callable[[Person, Rules], Decision]
) -> Record:
    """Record ``decide``'s decision as one event of ``family`` (transfer, mobility, standing)."""

    def record(p: Person, rules: Rules) -> None:
        getattr(p, f"record_{family}")(action, on, decide(p, rules))

    return record


def _post(path: str, name: str, summary: str) -> Callable[[Callable[..., object]], object]:
    return router.post(
        f"/people/{{person_id}}/{path}",
        name=name,
        summary=summary,
        response_model=PersonRecord,
        responses=RESPONSES,
    )


@_post("transfers", "send_transfer", "组织关系转出: send the letter (pending until accepted)")
async def send_transfer(
    person_id: UUID,
    body: SendTransfer,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    target = await runtime.orgtree.get(body.to_org_id)
    if target is None or target.status != "active":
        raise InvalidInput("transfer.destination_unknown", id=str(body.to_org_id))

    def decide(p: Person, r: Rules) -> Decision:
        return rules_after.send_transfer(p, target.id, target.name, body.sent_on, body.letter, r)

    record = _family("transfer", "sent", body.sent_on, decide)
    return await _act(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.sent_on,
        record,
        body.reason,
        if_match,
    )


@_post("transfers/acceptance", "accept_transfer", "组织关系接收 (by the receiving organisation)")
async def accept_transfer(
    person_id: UUID,
    body: Dated,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "transfer", "accepted", body.on, lambda p, r: rules_after.accept_transfer(p, body.on, r)
    )
    return await _act(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.on,
        record,
        body.reason,
        if_match,
        receiving=True,
    )


@_post("transfers/return", "return_transfer", "组织关系退回 (by the receiving organisation)")
async def return_transfer(
    person_id: UUID,
    body: ReturnTransfer,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "transfer",
        "returned",
        body.on,
        lambda p, r: rules_after.return_transfer(p, body.on, body.why, r),
    )
    return await _act(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.on,
        record,
        body.reason,
        if_match,
        receiving=True,
    )


class Postponement(Dated):
    months: int = Field(ge=1, le=12)
    why: str = Field(min_length=1, max_length=1000)


@_post(
    "conversion-postponement",
    "postpone_conversion",
    "转入的预备党员: postpone the 转正 discussion (at most the pack's months)",
)
async def postpone_conversion(
    person_id: UUID,
    body: Postponement,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "transfer",
        "conversion_postponed",
        body.on,
        lambda p, r: rules_after.postpone_conversion(p, body.on, body.months, body.why, r),
    )
    return await _act(
        runtime, request, response, principal, person_id, body.on, record, body.reason, if_match
    )


@_post("outflow", "register_outflow", "流动党员外出登记 (活动证 issued)")
async def register_outflow(
    person_id: UUID,
    body: Outflow,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "mobility",
        "outflow_registered",
        body.left_on,
        lambda p, r: rules_after.register_outflow(
            p, body.left_on, body.destination, body.certificate, r
        ),
    )
    return await _act(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.left_on,
        record,
        body.reason,
        if_match,
    )


@_post("outflow/contact", "record_outflow_contact", "流动党员联系 (moves the next contact date)")
async def record_outflow_contact(
    person_id: UUID,
    body: Dated,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "mobility",
        "contacted",
        body.on,
        lambda p, r: rules_after.record_outflow_contact(p, body.on, r),
    )
    return await _act(
        runtime, request, response, principal, person_id, body.on, record, body.reason, if_match
    )


@_post("outflow/return", "end_outflow", "流动党员返回")
async def end_outflow(
    person_id: UUID,
    body: Dated,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "mobility", "returned", body.on, lambda p, r: rules_after.end_outflow(p, body.on, r)
    )
    return await _act(
        runtime, request, response, principal, person_id, body.on, record, body.reason, if_match
    )


@_post("lost-contact", "report_lost_contact", "失去联系: the date contact was lost")
async def report_lost_contact(
    person_id: UUID,
    body: Dated,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "standing",
        "lost_contact",
        body.on,
        lambda p, r: rules_after.report_lost_contact(p, body.on, r),
    )
    return await _act(
        runtime, request, response, principal, person_id, body.on, record, body.reason, if_match
    )


@_post("suspension", "suspend_membership", "停止党籍 (after more than six months out of contact)")
async def suspend_membership(
    person_id: UUID,
    body: Suspension,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "standing", "suspended", body.on, lambda p, r: rules_after.suspend(p, body.on, body.body, r)
    )
    return await _act(
        runtime, request, response, principal, person_id, body.on, record, body.reason, if_match
    )


@_post("restoration", "restore_membership", "恢复党籍 / contact regained")
async def restore_membership(
    person_id: UUID,
    body: Dated,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "standing", "restored", body.on, lambda p, r: rules_after.restore(p, body.on, r)
    )
    return await _act(
        runtime, request, response, principal, person_id, body.on, record, body.reason, if_match
    )


@_post("rectification", "order_rectification", "限期改正 (at most the pack's months)")
async def order_rectification(
    person_id: UUID,
    body: Rectification,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "standing",
        "rectification_ordered",
        body.ordered_on,
        lambda p, r: rules_after.order_rectification(p, body.ordered_on, body.until, r),
    )
    return await _act(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.ordered_on,
        record,
        body.reason,
        if_match,
    )


@_post("rectification/conclusion", "conclude_rectification", "限期改正期满: improved or not")
async def conclude_rectification(
    person_id: UUID,
    body: RectificationConclusion,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "standing",
        "rectification_concluded",
        body.on,
        lambda p, r: rules_after.conclude_rectification(p, body.on, body.improved, r),
    )
    return await _act(
        runtime, request, response, principal, person_id, body.on, record, body.reason, if_match
    )


@_post("party-probation", "record_party_probation", "留党察看 (from a disciplinary decision)")
async def record_party_probation(
    person_id: UUID,
    body: PartyProbation,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    record = _family(
        "standing",
        "party_probation",
        body.decided_on,
        lambda p, r: rules_after.record_party_probation(
            p, body.decided_on, body.until, body.decision, r
        ),
    )
    return await _act(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.decided_on,
        record,
        body.reason,
        if_match,
    )


@_post("exit", "record_exit", "退党, 自行脱党, 劝退, 除名, 开除党籍 or death")
async def record_exit(
    person_id: UUID,
    body: ExitBody,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    person = await anyio.to_thread.run_sync(lambda: lifecycle(runtime).person(person_id))
    await visible_org(runtime, principal, person.branch_id)
    given = await step_input(runtime, person, body)
    given = replace(given, since=body.since)
    return await _act(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.on,
        lambda p, r: p.leave(body.kind, given, r),
        body.reason,
        if_match,
    )


class ImportMembership(Reasoned):
    stage: Literal["formal", "probationary"]
    admitted_on: date = Field(description="支部大会 date of admission (党籍 counts from it)")
    formal_since: date | None = Field(default=None, description="转正 date (党龄 counts from it)")
    source: str = Field(min_length=1, max_length=500, description="Where the record comes from")


@_post(
    "imported-membership",
    "import_membership",
    "Record a member admitted before the system (历史党员信息采集)",
)
async def import_membership(
    person_id: UUID,
    body: ImportMembership,
    request: Request,
    response: Response,
    runtime: Runtime,
    principal: Writer,
    if_match: IfMatch = None,
) -> PersonRecord:
    stage = Stage.of(body.stage)
    return await _act(
        runtime,
        request,
        response,
        principal,
        person_id,
        body.admitted_on,
        lambda p, r: p.import_membership(
            stage, body.admitted_on, body.formal_since, body.source, r
        ),
        body.reason,
        if_match,
    )
