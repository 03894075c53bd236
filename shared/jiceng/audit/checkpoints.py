"""Signed checkpoints of a chain's head, published as events on the service's own feed."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from eventsourcing.domain import Aggregate, event

from jiceng.eventlog.records import canonical_json

SIGNED_FIELDS = ("service", "position", "digest", "algorithm", "signed_at")


class AuditCheckpoint(Aggregate):
    """检查点: the chain's digest at a position, signed with the service's Ed25519 key."""

    @event("Signed")
    def __init__(
        self,
        service: str,
        position: int,
        digest: str,
        algorithm: str,
        signed_at: datetime,
        public_key: str,
        signature: str,
    ) -> None:
        self.service, self.position, self.digest = service, position, digest
        self.algorithm, self.signed_at = algorithm, signed_at
        self.public_key, self.signature = public_key, signature


class Signer:
    def __init__(self, private_key: bytes) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(private_key)
        raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key = base64.b64encode(raw).decode("ascii")

    @classmethod
    def derived_for_dev(cls, secret: str) -> Signer:
        """A deterministic key for development only (settings refuse it elsewhere)."""
        return cls(hashlib.sha256(f"jiceng-audit-dev:{secret}".encode()).digest())

    def sign(self, fields: dict[str, Any]) -> str:
        return base64.b64encode(self._key.sign(_message(fields))).decode("ascii")


def _message(fields: dict[str, Any]) -> bytes:
    return canonical_json({name: fields[name] for name in SIGNED_FIELDS})


def signature_valid(checkpoint: dict[str, Any], trusted_keys: set[str] | None = None) -> bool:
    """Whether the checkpoint's signature holds (and its key is trusted, when keys are given)."""
    key = checkpoint.get("public_key", "")
    if trusted_keys is not None and key not in trusted_keys:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(key)).verify(
            base64.b64decode(checkpoint.get("signature", "")), _message(checkpoint)
        )
    except (InvalidSignature, ValueError, KeyError):
        return False
    return True
