"""Tokens, API keys, roles and org-subtree scoping."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr, ValidationError

from jiceng.auth.principal import Role
from jiceng.auth.tokens import TokenService, hash_api_key, new_api_key
from jiceng.errors import Unauthenticated
from jiceng.settings import ApiKeyEntry, Settings
from support import Api

ORGS = "/org-registry/v1/organisations"
AUDIT_KEY = SecretStr("A" * 43 + "=")  # base64 of 32 bytes


def test_a_minted_token_verifies_to_its_principal(tokens: TokenService) -> None:
    org = uuid.uuid4()
    principal = tokens.verify(tokens.mint("alice", [Role.ORG_ADMIN], org))
    assert (principal.subject, principal.roles, principal.org) == (
        "alice",
        frozenset({Role.ORG_ADMIN}),
        org,
    )
    assert principal.actor == "jwt:alice"


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": 1}, "token expired"),
        ({"roles": []}, "credential carries no role"),
        ({"roles": ["org_admin"]}, "org_admin needs an org claim"),
        ({"roles": ["emperor"]}, "bad claim"),
        ({"aud": "someone-else"}, "Audience"),
    ],
)
def test_bad_tokens_are_refused(settings: Settings, claims: dict[str, object], reason: str) -> None:
    now = int(time.time())
    base = {
        "sub": "x",
        "roles": ["auditor"],
        "iss": "jiceng",
        "aud": "jiceng",
        "iat": now,
        "exp": now + 60,
    }
    token = jwt.encode({**base, **claims}, settings.jwt_secret.get_secret_value(), "HS256")
    with pytest.raises(Unauthenticated) as refused:
        TokenService(settings).verify(token)
    assert reason.lower() in str(refused.value.params["reason"]).lower()


def test_a_token_signed_with_another_key_is_refused(settings: Settings) -> None:
    other = Settings(env="dev", jwt_secret=SecretStr("x" * 40))
    with pytest.raises(Unauthenticated):
        TokenService(settings).verify(TokenService(other).mint("eve", [Role.PLATFORM_ADMIN]))


def test_rs256_tokens(settings: Settings) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    rs = Settings(
        env="prod",
        jwt_algorithm="RS256",
        jwt_private_key=SecretStr(private),
        jwt_public_key=public,
        audit_signing_key=AUDIT_KEY,
        personal_data_key=AUDIT_KEY,
        cipher_key=AUDIT_KEY,
        database_url="postgresql://jiceng@db/jiceng",
    )
    service = TokenService(rs)
    assert service.verify(service.mint("svc", [Role.SYSTEM])).subject == "svc"
    with pytest.raises(Unauthenticated):  # an HS256 token signed with the public key
        service.verify(jwt.encode({"sub": "x"}, "secret" * 8, "HS256"))


def test_api_keys_are_matched_by_hash_only() -> None:
    key = new_api_key()
    settings = Settings(
        env="dev",
        api_keys=[ApiKeyEntry(name="fundsync", sha256=hash_api_key(key), roles=["system"])],
    )
    service = TokenService(settings)
    principal = service.authenticate(f"Bearer {key}", None)
    assert (principal.actor, principal.roles) == ("api_key:fundsync", frozenset({Role.SYSTEM}))
    assert service.authenticate(None, key).subject == "fundsync"
    with pytest.raises(Unauthenticated):
        service.authenticate(f"Bearer {new_api_key()}", None)
    assert key not in settings.model_dump_json()


def test_default_secrets_are_refused_outside_dev() -> None:
    with pytest.raises(ValidationError, match="JICENG_JWT_SECRET"):
        Settings(env="prod")
    with pytest.raises(ValidationError, match="JICENG_JWT_SECRET"):
        Settings(env="test", jwt_secret=SecretStr("short"))
    with pytest.raises(ValidationError, match="JICENG_AUDIT_SIGNING_KEY"):
        Settings(env="prod", jwt_secret=SecretStr("r" * 40))
    with pytest.raises(ValidationError, match="JICENG_PERSONAL_DATA_KEY"):
        Settings(env="prod", jwt_secret=SecretStr("r" * 40), audit_signing_key=AUDIT_KEY)
    with pytest.raises(ValidationError, match="JICENG_CIPHER_KEY"):
        Settings(
            env="prod",
            jwt_secret=SecretStr("r" * 40),
            audit_signing_key=AUDIT_KEY,
            personal_data_key=AUDIT_KEY,
        )
    with pytest.raises(ValidationError, match="JICENG_CIPHER_KEY must be the base64"):
        Settings(env="dev", cipher_key=SecretStr("not a key"))
    keys = {"audit_signing_key": AUDIT_KEY, "personal_data_key": AUDIT_KEY, "cipher_key": AUDIT_KEY}
    with pytest.raises(ValidationError, match="JICENG_DATABASE_URL or JICENG_DATABASE_URLS"):
        Settings(env="prod", jwt_secret=SecretStr("r" * 40), **keys)
    assert Settings(env="test", jwt_secret=SecretStr("r" * 40), **keys).env == "test"
    production = Settings(
        env="prod",
        jwt_secret=SecretStr("r" * 40),
        database_urls={"funding": "postgresql://funding@db/funding"},
        **keys,
    )
    assert production.env == "prod"


async def test_no_credentials_is_401_with_no_data(org_api: Api) -> None:
    org = await org_api.establish("党委", org_type="committee")
    response = await org_api.client.get(f"{ORGS}/{org['id']}")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "name" not in response.json()
    garbage = await org_api.client.get(
        f"{ORGS}/{org['id']}", headers={"Authorization": "Bearer not-a-jwt"}
    )
    assert garbage.status_code == 401


async def test_health_and_docs_need_no_token_but_feed_does(org_api: Api) -> None:
    assert (await org_api.client.get("/healthz")).status_code == 200
    assert (await org_api.client.get("/org-registry/readyz")).json()["status"] == "ready"
    assert (await org_api.client.get("/org-registry/openapi.json")).status_code == 200
    assert (await org_api.client.get("/metrics")).status_code == 200
    assert (await org_api.client.get("/org-registry/v1/events")).status_code == 401


async def test_an_org_admin_sees_its_subtree_and_nothing_else(org_api: Api) -> None:
    univ = await org_api.establish("大学党委", org_type="committee")
    college = await org_api.establish("学院党总支", univ["id"], org_type="general_branch")
    branch = await org_api.establish("教工支部", college["id"])
    county = await org_api.establish("县委", org_type="committee")

    admin = org_api.headers(Role.ORG_ADMIN, org=uuid.UUID(college["id"]))
    for visible in (college, branch):
        assert (
            await org_api.client.get(f"{ORGS}/{visible['id']}", headers=admin)
        ).status_code == 200
    for hidden in (univ, county):
        response = await org_api.client.get(f"{ORGS}/{hidden['id']}", headers=admin)
        assert response.status_code == 404
        assert response.json()["code"] == "resource.not_found"
    # Writing inside the subtree works; under an organisation outside it, it does not.
    inside = await org_api.client.post(
        ORGS,
        json={
            "name": "学生支部",
            "org_type": "branch",
            "domain": "university",
            "parent_id": college["id"],
        },
        headers=admin,
    )
    assert inside.status_code == 201
    outside = await org_api.client.post(
        ORGS,
        json={"name": "村支部", "org_type": "branch", "domain": "rural", "parent_id": county["id"]},
        headers=admin,
    )
    assert outside.status_code == 404
    assert await org_api.runtime.orgtree.count() == 5


async def test_roles_gate_writes_and_feeds(org_api: Api) -> None:
    auditor = org_api.headers(Role.AUDITOR)
    refused = await org_api.client.post(
        ORGS, json={"name": "x", "org_type": "committee", "domain": "rural"}, headers=auditor
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "auth.forbidden_role"
    root = await org_api.client.post(
        ORGS,
        json={"name": "x", "org_type": "committee", "domain": "rural"},
        headers=org_api.headers(Role.ORG_ADMIN, org=uuid.uuid4()),
    )
    assert root.status_code == 403
    assert root.json()["code"] == "organisation.root_needs_platform_admin"
    assert (await org_api.client.get("/org-registry/v1/events", headers=auditor)).status_code == 200
    member = org_api.headers(Role.MEMBER)
    assert (await org_api.client.get("/org-registry/v1/events", headers=member)).status_code == 403


async def test_cors_for_configured_web_origins(settings: Settings) -> None:
    import httpx

    from jiceng.eventlog.storage import Storage
    from org_registry.bootstrap import create_app

    app = create_app(
        settings.model_copy(update={"cors_origins": ["https://web.example"]}),
        storage=Storage.memory("org-registry"),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        preflight = await client.options(
            "/org-registry/v1/organisations",
            headers={
                "Origin": "https://web.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,idempotency-key",
            },
        )
        put = await client.options(
            "/member-lifecycle/v1/orgs/x/development-plans/2026",
            headers={"Origin": "https://web.example", "Access-Control-Request-Method": "PUT"},
        )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://web.example"
    assert (put.status_code, "PUT" in put.headers["access-control-allow-methods"]) == (200, True)


def test_cli_token_command_mints_a_verifiable_token() -> None:
    from typer.testing import CliRunner

    from jiceng.cli.main import app

    org = uuid.uuid4()
    result = CliRunner().invoke(app, ["token", "--role", "org_admin", "--org", str(org)])
    assert result.exit_code == 0, result.output
    principal = TokenService(Settings(env="dev")).verify(result.output.strip())
    assert (principal.roles, principal.org) == (frozenset({Role.ORG_ADMIN}), org)
