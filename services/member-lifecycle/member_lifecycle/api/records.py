"""``/member-lifecycle/v1/people/{id}/record`` and ``/timeline``: where a person stands on the
path and everything that happened to them, from their own event stream."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

import anyio
from eventsourcing.domain import Aggregate
from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from jiceng.api.concurrency import etag
from jiceng.api.deps import CurrentPrincipal, Runtime
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.audit.history import plain
from member_lifecycle.api.support import lifecycle, load_person
from member_lifecycle.domain.evidence import party_years
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import STEPS, DeadlineKind, Stage, Step

router = APIRouter(tags=["development"], responses=error_responses(*COMMON_ERRORS))


class StepDone(BaseModel):
    step: Step
    number: int
    label: str
    on: date


class Deadline(BaseModel):
    kind: DeadlineKind
    label: str
    due_on: date


class PersonRecord(BaseModel):
    """Where a person stands: stage, steps done this cycle, what comes next, deadlines."""

    id: UUID
    name: str
    branch_id: UUID
    stage: Stage
    stage_label: str
    cycle: int = Field(description="Development cycles begun (a new application after an exit)")
    steps: list[StepDone]
    next_steps: list[Step] = Field(description="Steps whose prerequisites are met")
    deadlines: list[Deadline]
    notices: dict[str, dict[str, Any]]
    dates: dict[str, date | None]
    political_review_passed: bool | None
    training_days: float
    training_hours: float
    extensions: int
    conversion_outcome: str | None
    party_years: int | None = Field(description="党龄: full years since 转正 (today, Beijing)")
    standing: str
    transfer: dict[str, Any] | None
    outflow: dict[str, Any] | None
    rectification: dict[str, Any] | None
    exit_kind: str | None
    version: int

    @classmethod
    def of(cls, p: Person, today: date) -> PersonRecord:
        done = sorted(p.steps.items(), key=lambda kv: STEPS[Step.of(kv[0])].number)
        return cls(
            id=p.id,
            name=p.name,
            branch_id=p.branch_id,
            stage=Stage.of(p.stage),
            stage_label=Stage.of(p.stage).label,
            cycle=p.cycle,
            steps=[
                StepDone(
                    step=Step.of(s), number=STEPS[Step.of(s)].number, label=Step.of(s).label, on=on
                )
                for s, on in done
            ],
            next_steps=next_steps(p),
            deadlines=[
                Deadline(kind=DeadlineKind.of(k), label=DeadlineKind.of(k).label, due_on=d)
                for k, d in sorted(p.due.items(), key=lambda kv: kv[1])
            ],
            notices=plain(p.notices),
            dates={
                "applied_on": p.applied_on,
                "activist_since": p.activist_since,
                "candidate_since": p.candidate_since,
                "admission_vote_on": p.admission_vote_on,
                "admitted_on": p.admitted_on,
                "membership_since": p.membership_since,
                "probation_ends_on": p.probation_ends_on,
                "formal_since": p.formal_since,
                "exited_on": p.exited_on,
            },
            political_review_passed=p.political_review_passed,
            training_days=p.training_days,
            training_hours=p.training_hours,
            extensions=p.extensions,
            conversion_outcome=p.conversion_outcome,
            party_years=party_years(p.formal_since, today),
            standing=p.standing,
            transfer=plain(p.transfer),
            outflow=plain(p.outflow),
            rectification=plain(p.rectification),
            exit_kind=p.exit_kind,
            version=p.version,
        )


def next_steps(p: Person) -> list[Step]:
    ready = []
    for step, rule in STEPS.items():
        if p.stage not in rule.stages:
            continue
        if step in p.steps and not rule.repeatable:
            continue
        if step is Step.APPLICATION or all(r in p.steps for r in rule.requires):
            ready.append(step)
    return ready


class TimelineEntry(BaseModel):
    version: int
    type: str
    action: str | None = Field(description="The step, notice action, transfer action or exit")
    on: date | None
    occurred_at: datetime
    actor: str | None
    policy_pack: str | None
    reason: str | None
    evidence: dict[str, Any]


@router.get(
    "/people/{person_id}/record",
    name="get_person_record",
    summary="Where a person stands on the path: stage, steps, next steps, deadlines",
    response_model=PersonRecord,
    responses=error_responses(404),
)
async def get_record(
    person_id: UUID, response: Response, runtime: Runtime, principal: CurrentPrincipal
) -> PersonRecord:
    person = await load_person(runtime, principal, person_id)
    response.headers["ETag"] = etag(person.version)
    return PersonRecord.of(person, runtime.clock())


@router.get(
    "/people/{person_id}/timeline",
    name="get_person_timeline",
    summary="Everything recorded about a person, in order, with who decided and under which pack",
    response_model=list[TimelineEntry],
    responses=error_responses(404),
)
async def get_timeline(
    person_id: UUID, runtime: Runtime, principal: CurrentPrincipal
) -> list[TimelineEntry]:
    await load_person(runtime, principal, person_id)
    # The person's own events: each has the library's timestamp besides what it records.
    events = cast(
        "list[Aggregate.Event]",
        await anyio.to_thread.run_sync(lambda: list(lifecycle(runtime).events.get(person_id))),
    )
    entries = []
    for e in events:
        meta: dict[str, Any] = getattr(e, "meta", None) or {}
        action = getattr(e, "step", None) or getattr(e, "action", None) or getattr(e, "kind", None)
        entries.append(
            TimelineEntry(
                version=e.originator_version,
                type=type(e).__qualname__,
                action=action,
                on=getattr(e, "on", None),
                occurred_at=e.timestamp,
                actor=meta.get("actor"),
                policy_pack=meta.get("policy_pack"),
                reason=meta.get("reason"),
                evidence=plain(getattr(e, "evidence", {})),
            )
        )
    return entries
