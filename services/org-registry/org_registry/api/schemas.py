"""Request and response bodies of org-registry's API."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from org_registry.domain.organisation import NAME_MAX_LENGTH, Organisation, OrgDomain, OrgType


class EstablishOrganisation(BaseModel):
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH, examples=["计算机学院党总支"])
    org_type: OrgType
    domain: OrgDomain
    parent_id: UUID | None = Field(default=None, description="Omit for a top-level organisation")
    established_on: date | None = None
    reason: str | None = Field(default=None, max_length=500)


class RenameOrganisation(BaseModel):
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    reason: str | None = Field(default=None, max_length=500)


class OrganisationView(BaseModel):
    id: UUID
    name: str
    org_type: OrgType
    domain: OrgDomain
    parent_id: UUID | None
    established_on: date | None
    version: int
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, org: Organisation) -> OrganisationView:
        return cls(
            id=org.id,
            name=org.name,
            org_type=org.org_type,
            domain=org.domain,
            parent_id=org.parent_id,
            established_on=org.established_on,
            version=org.version,
            created_at=org.created_on,
            modified_at=org.modified_on,
        )


class EnumValue(BaseModel):
    value: str
    label: str
