"""An organisation's annual development plan (年度发展计划): how many to admit in a year."""

from __future__ import annotations

from uuid import NAMESPACE_OID, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from jiceng.errors import InvalidInput


class DevelopmentPlan(Aggregate):
    @staticmethod
    def create_id(org_id: UUID, year: int) -> UUID:
        return uuid5(NAMESPACE_OID, f"development-plan:{org_id}:{year}")

    @event("Set")
    def __init__(self, org_id: UUID, year: int, quota: int) -> None:
        _check(quota)
        self.org_id, self.year, self.quota = org_id, year, quota

    def revise(self, quota: int) -> None:
        _check(quota)
        self._revised(quota=quota)

    @event("Revised")
    def _revised(self, quota: int) -> None:
        self.quota = quota


def _check(quota: int) -> None:
    if quota < 0:
        raise InvalidInput("plan.quota_negative", quota=quota)
