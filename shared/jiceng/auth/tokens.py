"""Bearer JWTs: HS256 with a shared secret in dev, RS256 (PEM key or JWKS) in production."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any
from uuid import UUID

import jwt

from jiceng.auth.jwks import JwksKeys
from jiceng.auth.principal import Principal, Role
from jiceng.errors import Unauthenticated
from jiceng.settings import ApiKeyEntry, Settings, SettingsRefused
from jiceng.text import has_control_characters

API_KEY_PREFIX = "jk_"


class TokenService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._jwks: JwksKeys | None = (
            JwksKeys(settings.jwt_jwks_url, timeout=settings.jwt_jwks_timeout_seconds)
            if settings.jwt_jwks_url
            else None
        )

    # -- minting ------------------------------------------------------------------------
    def mint(
        self,
        subject: str,
        roles: list[Role] | tuple[Role, ...],
        org: UUID | None = None,
        ttl_seconds: int = 12 * 3600,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": subject,
            "roles": [r.value for r in roles],
            "iss": self.settings.jwt_issuer,
            "aud": self.settings.jwt_audience,
            "iat": now,
            "exp": now + ttl_seconds,
        }
        if org is not None:
            claims["org"] = str(org)
        return jwt.encode(claims, self._signing_key(), algorithm=self.settings.jwt_algorithm)

    def _signing_key(self) -> str:
        if self.settings.jwt_algorithm == "HS256":
            return self.settings.jwt_secret.get_secret_value()
        if self.settings.jwt_private_key is None:
            msg = "RS256 minting needs JICENG_JWT_PRIVATE_KEY"
            raise SettingsRefused(msg)
        return self.settings.jwt_private_key.get_secret_value()

    # -- verifying ------------------------------------------------------------------------
    def verify(self, token: str) -> Principal:
        """The principal a bearer token names; :class:`Unauthenticated` if it is not valid.

        Blocks while a JWKS is fetched: in a request, use :meth:`verify_async`."""
        key = self._jwks.key_for_sync(token) if self._jwks is not None else self._static_key()
        return self._decode(token, key)

    async def verify_async(self, token: str) -> Principal:
        """:meth:`verify` without blocking the event loop: a JWKS fetch runs in a thread, and
        a token whose key is cached never waits for one."""
        key = await self._jwks.key_for(token) if self._jwks is not None else self._static_key()
        return self._decode(token, key)

    def _static_key(self) -> Any:
        if self.settings.jwt_algorithm == "HS256":
            return self.settings.jwt_secret.get_secret_value()
        return self.settings.jwt_public_key

    def _decode(self, token: str, key: Any) -> Principal:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.settings.jwt_algorithm],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["sub", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("auth.unauthenticated", reason="token expired") from error
        except jwt.InvalidTokenError as error:
            raise Unauthenticated("auth.unauthenticated", reason=str(error)) from error
        return _principal(claims["sub"], claims.get("roles", []), claims.get("org"), via="jwt")

    def authenticate(self, authorization: str | None, api_key: str | None) -> Principal:
        """The principal behind ``Authorization: Bearer <JWT or API key>`` or ``X-API-Key``.

        Blocks while a JWKS is fetched: in a request, use :meth:`authenticate_async`."""
        kind, credential = _credential(authorization, api_key)
        return self.verify(credential) if kind == "jwt" else self.verify_api_key(credential)

    async def authenticate_async(self, authorization: str | None, api_key: str | None) -> Principal:
        """:meth:`authenticate` without blocking the event loop."""
        kind, credential = _credential(authorization, api_key)
        if kind == "jwt":
            return await self.verify_async(credential)
        return self.verify_api_key(credential)

    def verify_api_key(self, presented: str) -> Principal:
        digest = hash_api_key(presented)
        entry: ApiKeyEntry | None = None
        for candidate in self.settings.api_keys:
            if hmac.compare_digest(candidate.sha256, digest):
                entry = candidate
        if entry is None:
            raise Unauthenticated("auth.unauthenticated", reason="unknown API key")
        return _principal(entry.name, entry.roles, entry.org, via="api_key")


def _credential(authorization: str | None, api_key: str | None) -> tuple[str, str]:
    """``("jwt", token)`` or ``("api_key", key)`` from the request's headers."""
    if authorization:
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise Unauthenticated("auth.unauthenticated", reason="expected a Bearer credential")
        credential = credential.strip()
        return ("api_key" if credential.startswith(API_KEY_PREFIX) else "jwt"), credential
    if api_key:
        return "api_key", api_key
    raise Unauthenticated("auth.unauthenticated", reason="no credentials")


#: A subject names who acts in every event they cause: plain text, and not a novel.
SUBJECT_MAX_LENGTH = 200


def _principal(subject: object, roles: list[str], org: str | None, via: str) -> Principal:
    if (
        not isinstance(subject, str)
        or not subject
        or len(subject) > SUBJECT_MAX_LENGTH
        or has_control_characters(subject)
    ):
        # The subject becomes the actor of events: it must be storable and printable.
        raise Unauthenticated("auth.unauthenticated", reason="bad claim: subject")
    if not isinstance(roles, list):
        raise Unauthenticated("auth.unauthenticated", reason="bad claim: roles")
    try:
        parsed_roles = frozenset(Role(r) for r in roles)
        parsed_org = UUID(org) if org else None
    except (ValueError, TypeError, AttributeError) as error:
        raise Unauthenticated("auth.unauthenticated", reason="bad claim: roles or org") from error
    if not parsed_roles:
        raise Unauthenticated("auth.unauthenticated", reason="credential carries no role")
    if Role.ORG_ADMIN in parsed_roles and parsed_org is None:
        raise Unauthenticated("auth.unauthenticated", reason="org_admin needs an org claim")
    return Principal(subject=subject, roles=parsed_roles, org=parsed_org, via=via)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
