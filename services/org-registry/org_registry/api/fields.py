"""Field definitions the request bodies of org-registry share."""

from __future__ import annotations

from pydantic import Field

from org_registry.domain.structure import NAME_MAX_LENGTH

Name = Field(min_length=1, max_length=NAME_MAX_LENGTH)
Reason = Field(default=None, max_length=500, description="Why (recorded with the event)")
RegionCode = Field(default=None, pattern=r"^\d{6}(\d{3}|\d{6})?$", description="GB/T 2260")
