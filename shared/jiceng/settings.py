"""Settings for every service, read from ``JICENG_*`` environment variables.

One base for all four services. Outside ``dev`` the settings refuse default secrets, so a
misconfigured production pod fails at start-up instead of accepting forged tokens.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    SettingsConfigDict,
)

DEV_JWT_SECRET = "dev-only-secret-do-not-use-outside-dev-0123456789"


class SettingsRefused(ValueError):
    """Settings that cannot work for what was asked of them (said in one line, exit 2)."""


class SecretsDirMissing(SettingsRefused):
    """``JICENG_SECRETS_DIR`` names no directory (a Secret volume that was not mounted)."""


def feed_credential_refusal(settings: Settings, upstreams: frozenset[str]) -> str | None:
    """Why followers of ``upstreams`` (other services' feeds) could not read them: with RS256
    they mint their tokens with the private key, unless a fixed credential is given."""
    if not upstreams or not settings.follow_remote_feeds or settings.feed_credential:
        return None
    if settings.jwt_algorithm == "RS256" and settings.jwt_private_key is None:
        return (
            f"reading the feeds of {', '.join(sorted(upstreams))} needs JICENG_JWT_PRIVATE_KEY "
            "(to mint the followers' tokens) or JICENG_FEED_CREDENTIAL"
        )
    return None


class ApiKeyEntry(BaseModel):
    """A machine client's API key: only its SHA-256 is configured, never the key."""

    name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    roles: list[str]
    org: str | None = None


class Settings(BaseSettings):
    # hide_input_in_errors: a refusal must not print (the tail of) a secret it was given.
    model_config = SettingsConfigDict(
        env_prefix="JICENG_", extra="ignore", hide_input_in_errors=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then files in ``JICENG_SECRETS_DIR`` (a mounted
        Secret volume: one file per setting, named as its variable, ``JICENG_JWT_SECRET``)."""
        sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
        directory = os.environ.get("JICENG_SECRETS_DIR")
        if directory:
            if not Path(directory).is_dir():
                msg = f"JICENG_SECRETS_DIR={directory} is not a directory"
                raise SecretsDirMissing(msg)
            sources += (SecretsSettingsSource(settings_cls, secrets_dir=directory),)
        return sources

    env: Literal["dev", "test", "prod"] = "dev"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None,
        description="postgresql://user@host:port/db for PostgreSQL; unset = SQLite under data_dir.",
    )
    database_urls: dict[str, str] = Field(
        default_factory=dict, description="Per-service overrides of database_url."
    )
    schema_prefix: str = Field(
        default="", description="Prefix of each service's PostgreSQL schema name."
    )
    host: str = "127.0.0.1"
    gateway_port: int = 8000
    ports: dict[str, int] = Field(
        default_factory=dict, description="Port per service (default: the service's own)."
    )
    service_urls: dict[str, str] = Field(
        default_factory=dict, description="Base URL of each service, for following its feed."
    )
    gateway_upstreams: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Several API processes of a service behind the development gateway "
        "(taken in turn); default: the service's URL.",
    )
    probes_under_prefix: bool = Field(
        default=True,
        description="Also answer /healthz, /readyz and /metrics under /<service>/; off behind "
        "an Ingress that routes /<service>/ from outside (the probes stay at the root).",
    )
    read_your_writes_seconds: float = Field(
        default=5.0,
        description="How long a command waits for its own read models before answering "
        "with Jiceng-Read-Models: behind.",
    )
    jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_private_key: SecretStr | None = Field(
        default=None, description="PEM key for minting RS256 tokens (CLI and service clients)."
    )
    jwt_public_key: str | None = Field(default=None, description="PEM key verifying RS256.")
    jwt_jwks_url: str | None = None
    jwt_jwks_timeout_seconds: float = Field(
        default=5.0, gt=0, description="How long fetching the JWKS may take before a 503."
    )
    jwt_issuer: str = "jiceng"
    jwt_audience: str = "jiceng"
    api_keys: list[ApiKeyEntry] = Field(default_factory=list)
    feed_credential: SecretStr | None = Field(
        default=None,
        description="Bearer token or API key for reading upstream feeds; "
        "unset = a system token minted with the configured signing key.",
    )
    cipher_key: SecretStr | None = Field(
        default=None,
        description="AES key (base64 of 16, 24 or 32 bytes) encrypting stored events at rest; "
        "required outside dev.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Web front-end origins allowed to call the API."
    )
    personal_data_key: SecretStr | None = Field(
        default=None, description="AES-256 key (base64 of 32 bytes) sealing personal data."
    )
    personal_data_retired_keys: list[SecretStr] = Field(
        default_factory=list,
        description="Earlier personal-data keys, newest first: what they sealed still opens, "
        "and the last one (the first key ever used) keeps deriving person ids. Never drop one.",
    )
    audit_algorithm: Literal["sm3", "sha256"] = "sm3"
    audit_signing_key: SecretStr | None = Field(
        default=None, description="Ed25519 private key (base64 of 32 bytes) signing checkpoints."
    )
    audit_checkpoint_seconds: float = Field(
        default=300.0, description="Sign a checkpoint of the chain's head this often (if moved)."
    )
    run_consumers: bool = True
    follow_remote_feeds: bool = Field(
        default=True, description="Follow other services' feeds (off: only this service's own)."
    )
    feed_wait_seconds: float = 20.0
    # PostgreSQL connections (see README, "Connections one process opens").
    event_pool_size: int = Field(
        default=2, ge=1, description="Connections the event store's pool keeps open."
    )
    event_pool_overflow: int = Field(
        default=2, ge=0, description="Connections the event store may open beyond its pool."
    )
    read_pool_size: int = Field(
        default=2, ge=1, description="Connections the read models' pool keeps open."
    )
    read_pool_overflow: int = Field(
        default=2, ge=0, description="Connections the read models may open beyond their pool."
    )
    pool_timeout_seconds: float = Field(
        default=5.0, gt=0, description="How long a request waits for a pooled connection."
    )
    connect_timeout_seconds: float = Field(
        default=3.0, gt=0, description="How long opening one database connection may take."
    )
    readiness_timeout_seconds: float = Field(
        default=1.5, gt=0, description="How long /readyz waits for each storage check."
    )
    startup_timeout_seconds: float = Field(
        default=120.0,
        ge=0,
        description="How long start-up keeps retrying unreachable storage before giving up.",
    )
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _refuse_insecure_defaults(self) -> Settings:
        if self.env == "dev":
            return self
        if self.jwt_algorithm == "HS256":
            secret = self.jwt_secret.get_secret_value()
            if secret == DEV_JWT_SECRET or len(secret) < 32:
                msg = (
                    f"JICENG_JWT_SECRET must be set to a random value of at least 32 characters "
                    f"when JICENG_ENV={self.env}"
                )
                raise ValueError(msg)
        elif not (self.jwt_public_key or self.jwt_jwks_url):
            msg = "RS256 needs JICENG_JWT_PUBLIC_KEY or JICENG_JWT_JWKS_URL"
            raise ValueError(msg)
        missing = [
            f"JICENG_{name.upper()}"
            for name in ("audit_signing_key", "personal_data_key", "cipher_key")
            if getattr(self, name) is None
        ]
        if missing:
            msg = f"{', '.join(missing)} must be set when JICENG_ENV={self.env}"
            raise ValueError(msg)
        if self.env == "prod" and not (self.database_url or self.database_urls):
            # Else each pod would keep its data in SQLite files under /tmp, lost on restart.
            msg = "JICENG_DATABASE_URL or JICENG_DATABASE_URLS must be set when JICENG_ENV=prod"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _check_key_lengths(self) -> Settings:
        """A key of the wrong size fails here, at start-up, not at the first write."""
        for name, sizes in (
            ("cipher_key", (16, 24, 32)),
            ("personal_data_key", (32,)),
            ("audit_signing_key", (32,)),
        ):
            secret: SecretStr | None = getattr(self, name)
            if secret is None:
                continue
            size = _decoded_size(secret)
            if size not in sizes:
                allowed = " or ".join(map(str, sizes))
                msg = f"JICENG_{name.upper()} must be the base64 of {allowed} bytes"
                raise ValueError(msg)
        for number, retired in enumerate(self.personal_data_retired_keys, 1):
            if _decoded_size(retired) != 32:
                msg = (
                    f"JICENG_PERSONAL_DATA_RETIRED_KEYS: key {number} is not the base64 of 32 bytes"
                )
                raise ValueError(msg)
        if self.personal_data_retired_keys and self.personal_data_key is None:
            msg = "JICENG_PERSONAL_DATA_RETIRED_KEYS needs JICENG_PERSONAL_DATA_KEY"
            raise ValueError(msg)
        return self

    def database_url_for(self, service: str) -> str | None:
        return self.database_urls.get(service, self.database_url)

    @cached_property
    def gateway_url(self) -> str:
        return f"http://{self.host}:{self.gateway_port}"


def _decoded_size(secret: SecretStr) -> int:
    """How many bytes a base64 key holds (-1: not base64)."""
    try:
        return len(base64.b64decode(secret.get_secret_value(), validate=True))
    except (binascii.Error, ValueError):
        return -1
