"""A principal: subject, roles and the organisation subtree it may act in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    MEMBER = "member"  # 党员本人: their own record
    ORG_ADMIN = "org_admin"  # 组织管理员: within its organisation subtree
    AUDITOR = "auditor"  # 审计: reads everything, replays history; every read is logged
    SYSTEM = "system"  # 系统调用方: machine client, scoped
    PLATFORM_ADMIN = "platform_admin"  # 平台管理员

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.MEMBER: "党员",
    Role.ORG_ADMIN: "组织管理员",
    Role.AUDITOR: "审计员",
    Role.SYSTEM: "系统调用方",
    Role.PLATFORM_ADMIN: "平台管理员",
}

#: Roles that see every organisation without an org scope.
GLOBAL_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.AUDITOR})


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[Role]
    org: UUID | None = None
    via: str = "jwt"

    def has_any(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def sees_everything(self) -> bool:
        """Global roles, and machine clients not limited to a subtree."""
        if self.has_any(*GLOBAL_ROLES):
            return True
        return Role.SYSTEM in self.roles and self.org is None

    @property
    def actor(self) -> str:
        """How events name this principal: ``jwt:alice`` or ``api_key:fundsync``."""
        return f"{self.via}:{self.subject}"
