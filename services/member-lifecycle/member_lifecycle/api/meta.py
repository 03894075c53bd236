"""``/member-lifecycle/v1/meta``: codes with their Chinese labels, and the path as data."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from jiceng.api.deps import CurrentPrincipal
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.labels import LabelledEnum
from member_lifecycle.domain.evidence import ExclusionReason
from member_lifecycle.domain.stages import (
    STEPS,
    ConversionOutcome,
    DeadlineKind,
    ExitKind,
    NoticePoint,
    Stage,
    Step,
)

router = APIRouter(tags=["meta"], responses=error_responses(*COMMON_ERRORS))
ENUMS: dict[str, type[LabelledEnum]] = {
    "stage": Stage,
    "notice_point": NoticePoint,
    "conversion_outcome": ConversionOutcome,
    "exit_kind": ExitKind,
    "deadline_kind": DeadlineKind,
    "exclusion_reason": ExclusionReason,
}


class Label(BaseModel):
    value: str
    label: str


class StepView(BaseModel):
    value: Step
    number: int
    label: str
    stages: list[Stage]
    requires: list[Step]
    repeatable: bool
    leads_to: Stage | None
    decided_by: str


@router.get(
    "/meta/enums",
    name="list_lifecycle_enums",
    summary="Stable codes and Chinese labels of member-lifecycle's enumerations",
    response_model=dict[str, list[Label]],
)
async def list_enums(_principal: CurrentPrincipal) -> dict[str, list[Label]]:
    return {
        name: [Label(value=m.value, label=m.label) for m in enum] for name, enum in ENUMS.items()
    }


@router.get(
    "/meta/steps",
    name="list_steps",
    summary="The 25 steps: number, label, allowed stages, prerequisites, deciding body",
    response_model=list[StepView],
)
async def list_steps(_principal: CurrentPrincipal) -> list[StepView]:
    return [
        StepView(
            value=step,
            number=rule.number,
            label=step.label,
            stages=list(rule.stages),
            requires=list(rule.requires),
            repeatable=rule.repeatable,
            leads_to=rule.leads_to,
            decided_by=rule.decided_by,
        )
        for step, rule in STEPS.items()
    ]
