"""`jiceng audit public-key` prints the key auditors trust, from RFC 8032's first test vector."""

from __future__ import annotations

import base64

import pytest
from typer.testing import CliRunner

# RFC 8032, section 7.1, TEST 1: an Ed25519 secret key and the public key it makes.
SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")


def test_the_public_key_of_the_signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from jiceng.cli.main import app

    monkeypatch.setenv("JICENG_AUDIT_SIGNING_KEY", base64.b64encode(SECRET).decode())
    result = CliRunner().invoke(app, ["audit", "public-key"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == base64.b64encode(PUBLIC).decode()
