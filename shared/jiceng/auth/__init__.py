"""Who is calling: bearer JWTs for people and services, API keys for machine clients."""

from jiceng.auth.principal import Principal, Role
from jiceng.auth.tokens import TokenService

__all__ = ["Principal", "Role", "TokenService"]
