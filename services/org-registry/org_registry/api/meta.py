"""Enumerations with their Chinese labels, and the policy packs the system knows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from jiceng.api.deps import CurrentPrincipal, Runtime
from jiceng.api.problems import COMMON_ERRORS, error_responses
from org_registry.api.schemas import EnumValue
from org_registry.domain.labels import LabelledEnum
from org_registry.domain.types import (
    SIX_HAVES,
    CoverageKind,
    Office,
    OrgDomain,
    OrgStatus,
    OrgType,
    UnitType,
    VenueGrade,
)

router = APIRouter(tags=["meta"], responses=error_responses(*COMMON_ERRORS))
ENUMS: dict[str, type[LabelledEnum]] = {
    "org_type": OrgType,
    "domain": OrgDomain,
    "office": Office,
    "org_status": OrgStatus,
    "coverage": CoverageKind,
    "unit_type": UnitType,
    "venue_grade": VenueGrade,
}


class PackView(BaseModel):
    id: str
    version: int
    ref: str
    title: str
    status: str
    effective_from: str
    jurisdiction: str
    extends: str | None
    rules: dict[str, Any]
    sources: dict[str, str]


@router.get(
    "/meta/enums",
    name="list_enums",
    summary="Stable codes and Chinese labels of org-registry's enumerations",
    response_model=dict[str, list[EnumValue]],
)
async def list_enums(_principal: CurrentPrincipal) -> dict[str, list[EnumValue]]:
    enums = {
        name: [EnumValue(value=m.value, label=m.label) for m in enum]
        for name, enum in ENUMS.items()
    }
    enums["six_haves"] = [EnumValue(value=k, label=v) for k, v in SIX_HAVES.items()]
    return enums


@router.get(
    "/policy-packs",
    name="list_policy_packs",
    summary="Every policy pack and version, with its rules and sources",
    response_model=list[PackView],
)
async def list_policy_packs(runtime: Runtime, _principal: CurrentPrincipal) -> list[PackView]:
    return [
        PackView(
            id=p.id,
            version=p.version,
            ref=p.ref,
            title=p.title,
            status=p.status,
            effective_from=p.effective_from.isoformat(),
            jurisdiction=p.jurisdiction,
            extends=p.extends,
            rules=dict(p.rules),
            sources=dict(p.sources),
        )
        for p in sorted(runtime.catalogue.all(), key=lambda p: (p.id, p.version))
    ]
