"""Personal data (身份证号, phone, address, income base): sealed in events, masked in lists.

A sealed value travels in event payloads and feeds as ciphertext (``sealed:v1:<base64>``,
AES-256-GCM with the field's name as associated data, so a value cannot be moved into another
field); only the service holding the key opens it, for the roles that need the whole value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jiceng.errors import InvalidInput
from jiceng.ids import mask_resident_id
from jiceng.settings import Settings

__all__ = ["PersonalDataSealer", "mask_name", "mask_phone", "mask_resident_id", "sealer_for"]

PREFIX = "sealed:v1:"


class PersonalDataSealer:
    """Seals with ``key``; opens with it or any of the ``retired`` keys (newest first).

    Fingerprints, and the person ids made from them, come from the first key ever used (the
    last retired one, or ``key`` before any rotation), so a rotation never changes who is who.
    """

    def __init__(self, key: bytes, retired: Sequence[bytes] = ()) -> None:
        if any(len(k) != 32 for k in (key, *retired)):
            msg = "a personal-data key must be 32 bytes"
            raise ValueError(msg)
        self._aead = AESGCM(key)
        self._retired = [AESGCM(k) for k in retired]
        first = retired[-1] if retired else key
        self._fingerprint_key = hashlib.sha256(b"fingerprint:" + first).digest()

    def fingerprint(self, field: str, value: str) -> str:
        """A keyed hash of a value: equal values match without the value being stored."""
        return hmac.new(self._fingerprint_key, f"{field}:{value}".encode(), "sha256").hexdigest()

    @classmethod
    def derived_for_dev(cls, secret: str) -> PersonalDataSealer:
        """A deterministic key for development only (settings refuse it elsewhere)."""
        return cls(hashlib.sha256(f"jiceng-personal-dev:{secret}".encode()).digest())

    def seal(self, field: str, value: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), field.encode("utf-8"))
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, field: str, sealed: str) -> str:
        if not sealed.startswith(PREFIX):
            raise InvalidInput("personal.not_sealed", field=field)
        raw = base64.urlsafe_b64decode(sealed[len(PREFIX) :].encode("ascii"))
        for aead in (self._aead, *self._retired):
            try:
                plain = aead.decrypt(raw[:12], raw[12:], field.encode("utf-8"))
            except InvalidTag:
                continue
            return plain.decode("utf-8")
        raise InvalidInput("personal.cannot_open", field=field)


def mask_phone(phone: str) -> str:
    """*******5678: the last four digits only (a mask keeping the first three as well left
    four digits to guess)."""
    digits = "".join(c for c in phone if c.isdigit())
    return "*" * 7 + digits[-4:] if len(digits) >= 8 else "*" * 4


def mask_name(name: str) -> str:
    """张*明 / 李*: the family name and, for longer names, the last character."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def sealer_for(settings: Settings) -> PersonalDataSealer:
    """The configured sealer (a derived development key under ``JICENG_ENV=dev`` only),
    built once per set of keys: requests ask for it on every reveal."""
    if settings.personal_data_key is not None:
        retired = tuple(k.get_secret_value() for k in settings.personal_data_retired_keys)
        return _sealer(settings.personal_data_key.get_secret_value(), retired)
    return _dev_sealer(settings.jwt_secret.get_secret_value())


@lru_cache(maxsize=8)
def _sealer(key: str, retired: tuple[str, ...]) -> PersonalDataSealer:
    return PersonalDataSealer(base64.b64decode(key), [base64.b64decode(k) for k in retired])


@lru_cache(maxsize=8)
def _dev_sealer(secret: str) -> PersonalDataSealer:
    return PersonalDataSealer.derived_for_dev(secret)
