"""RS256 tokens checked against a JWKS URL served by a local HTTP server that answers slowly,
or not at all: the fetch runs off the event loop, other requests are served meanwhile, a
cached key never waits, and a fetch that fails answers 503 in time instead of hanging."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from jiceng.auth.tokens import hash_api_key, new_api_key
from jiceng.eventlog.storage import Storage
from jiceng.settings import ApiKeyEntry, Settings

ORGS = "/org-registry/v1/organisations"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()


@dataclass
class Provider:
    """The identity provider's JWKS endpoint: how slow it is, and what it has served."""

    delay: float = 0.0
    status: int = 200
    fetches: int = 0
    server: ThreadingHTTPServer | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"


def jwks_document() -> bytes:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    return json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.fetches += 1
            time.sleep(state.delay)
            body = jwks_document()
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the service gave up waiting, as it should

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class Service:
    client: httpx.AsyncClient
    api_key: str
    keys: Any

    def bearer(self, kid: str = "k1") -> dict[str, str]:
        now = int(time.time())
        claims = {
            "sub": "alice",
            "roles": ["platform_admin"],
            "iss": "jiceng",
            "aud": "jiceng",
            "iat": now,
            "exp": now + 600,
        }
        token = jwt.encode(claims, PEM, algorithm="RS256", headers={"kid": kid})
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def service(settings: Settings, provider: Provider) -> AsyncIterator[Service]:
    from org_registry.bootstrap import create_app

    api_key = new_api_key()
    rs256 = settings.model_copy(
        update={
            "jwt_algorithm": "RS256",
            "jwt_private_key": None,
            "jwt_jwks_url": provider.url,
            "jwt_jwks_timeout_seconds": 1.0,
            "api_keys": [
                ApiKeyEntry(name="sync", sha256=hash_api_key(api_key), roles=["platform_admin"])
            ],
        }
    )
    app = create_app(rs256, storage=Storage.memory("org-registry"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", timeout=30
        ) as client:
            yield Service(client, api_key, app.state.runtime.tokens._jwks)


def missing_org() -> str:
    return f"{ORGS}/{uuid.uuid4()}"


async def test_a_slow_jwks_fetch_does_not_stop_other_requests(
    service: Service, provider: Provider
) -> None:
    provider.delay = 2.0
    started = time.monotonic()
    first = asyncio.ensure_future(service.client.get(missing_org(), headers=service.bearer()))
    for _ in range(100):  # until the fetch has started (however loaded the machine)
        if provider.fetches:
            break
        await asyncio.sleep(0.02)
    assert provider.fetches == 1
    # Meanwhile: a machine client's request and the health check are answered at once.
    other = await service.client.get(missing_org(), headers={"X-API-Key": service.api_key})
    assert other.status_code == 404
    assert (await service.client.get("/healthz")).status_code == 200
    assert not first.done()  # answered while the fetch still runs
    # The fetch is slower than the timeout (1 s): the waiting request is told so, in time.
    answer = await first
    assert answer.status_code == 503
    assert answer.json()["code"] == "auth.keys_unavailable"
    assert answer.headers["retry-after"] == "5"
    assert time.monotonic() - started < 10  # told in time, not left hanging


async def test_keys_fetched_once_for_concurrent_requests_then_cached(
    service: Service, provider: Provider
) -> None:
    provider.delay = 0.5
    answers = await asyncio.gather(
        *(service.client.get(missing_org(), headers=service.bearer()) for _ in range(5))
    )
    assert {a.status_code for a in answers} == {404}  # authenticated, then not found
    assert provider.fetches == 1
    # Cached: no wait even while the provider has become very slow.
    provider.delay = 5.0
    started = time.monotonic()
    assert (await service.client.get(missing_org(), headers=service.bearer())).status_code == 404
    assert time.monotonic() - started < 1
    assert provider.fetches == 1


async def test_stale_keys_are_refreshed_in_the_background(
    service: Service, provider: Provider
) -> None:
    assert (await service.client.get(missing_org(), headers=service.bearer())).status_code == 404
    provider.delay = 3.0
    service.keys.refresh_seconds = 0.0
    started = time.monotonic()
    answer = await service.client.get(missing_org(), headers=service.bearer())
    assert answer.status_code == 404
    assert time.monotonic() - started < 1
    await asyncio.sleep(0.2)
    assert provider.fetches == 2  # the refresh runs, nobody waits for it


async def test_an_unknown_kid_is_401_without_fetching_again_and_again(
    service: Service, provider: Provider
) -> None:
    assert (await service.client.get(missing_org(), headers=service.bearer())).status_code == 404
    for _ in range(3):
        answer = await service.client.get(missing_org(), headers=service.bearer("made-up"))
        assert answer.status_code == 401
        assert answer.json()["code"] == "auth.unauthenticated"
    assert provider.fetches == 1


async def test_an_unreachable_provider_is_a_503_for_commands_too(
    service: Service, provider: Provider
) -> None:
    assert provider.server is not None
    provider.server.shutdown()
    provider.server.server_close()
    body = {"name": "党委", "org_type": "committee", "domain": "university"}
    started = time.monotonic()
    answer = await service.client.post(
        ORGS, json=body, headers={**service.bearer(), "Idempotency-Key": "jwks-1"}
    )
    assert answer.status_code == 503
    assert answer.json()["code"] == "auth.keys_unavailable"
    assert time.monotonic() - started < 3
