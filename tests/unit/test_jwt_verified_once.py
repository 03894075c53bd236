"""A bearer token is verified once per request, keyed or not (it was twice for keyed POSTs)."""

from __future__ import annotations

import uuid

import pytest

from jiceng.auth.tokens import TokenService
from support import Api

ORGS = "/org-registry/v1/organisations"


@pytest.mark.parametrize("keyed", [True, False])
async def test_one_verification_per_command(
    org_api: Api, monkeypatch: pytest.MonkeyPatch, keyed: bool
) -> None:
    verified: list[str] = []
    original = TokenService.verify_async

    async def counting(self: TokenService, token: str) -> object:
        verified.append(token)
        return await original(self, token)

    monkeypatch.setattr(TokenService, "verify_async", counting)
    headers = org_api.headers()
    if keyed:
        headers["Idempotency-Key"] = uuid.uuid4().hex
    body = {"name": "一次验证党委", "org_type": "committee", "domain": "rural"}
    created = await org_api.client.post(ORGS, json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert len(verified) == 1
    if keyed:  # the replay verifies the caller once too, and answers the same
        again = await org_api.client.post(ORGS, json=body, headers=headers)
        assert again.headers["Idempotent-Replayed"] == "true"
        assert len(verified) == 2


async def test_a_forged_token_with_a_key_is_still_refused(org_api: Api) -> None:
    headers = {"Authorization": "Bearer not.a.token", "Idempotency-Key": uuid.uuid4().hex}
    body = {"name": "伪造党委", "org_type": "committee", "domain": "rural"}
    refused = await org_api.client.post(ORGS, json=body, headers=headers)
    assert refused.status_code == 401
