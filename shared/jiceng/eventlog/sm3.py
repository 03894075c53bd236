"""SM3 (GB/T 32905-2016), the national standard hash: OpenSSL's when it has it, else ours."""

from __future__ import annotations

import hashlib
import struct
from typing import Protocol

_IV = (
    0x7380166F,
    0x4914B2B9,
    0x172442D7,
    0xDA8A0600,
    0xA96F30BC,
    0x163138AA,
    0xE38DEE4D,
    0xB0FB0E4E,
)
_MASK = 0xFFFFFFFF


class Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


_T = [_rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j) for j in range(64)]


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


def _compress(v: tuple[int, ...], block: bytes) -> tuple[int, ...]:
    w = list(struct.unpack(">16I", block))
    for j in range(16, 68):
        w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    w1 = [w[j] ^ w[j + 4] for j in range(64)]
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        ss1 = _rotl((_rotl(a, 12) + e + _T[j]) & _MASK, 7)
        ss2 = ss1 ^ _rotl(a, 12)
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + w1[j]) & _MASK
        tt2 = (gg + h + ss1 + w[j]) & _MASK
        a, b, c, d = tt1, a, _rotl(b, 9), c
        e, f, g, h = _p0(tt2), e, _rotl(f, 19), g
    return tuple(x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True))


class PureSM3:
    """A straightforward SM3 for platforms whose OpenSSL lacks it (slower, same digests)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._length = 0
        self._state: tuple[int, ...] = _IV

    def update(self, data: bytes, /) -> None:
        self._length += len(data)
        buffer = self._buffer + data
        full = len(buffer) - len(buffer) % 64
        for offset in range(0, full, 64):
            self._state = _compress(self._state, buffer[offset : offset + 64])
        self._buffer = buffer[full:]

    def digest(self) -> bytes:
        bits = self._length * 8
        padding = b"\x80" + b"\x00" * ((55 - self._length) % 64) + struct.pack(">Q", bits)
        state, buffer = self._state, self._buffer + padding
        for offset in range(0, len(buffer), 64):
            state = _compress(state, buffer[offset : offset + 64])
        return struct.pack(">8I", *state)


def new(algorithm: str) -> Hasher:
    """A hasher for ``sm3`` or ``sha256``."""
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm != "sm3":
        msg = f"unknown digest algorithm {algorithm!r} (sm3 or sha256)"
        raise ValueError(msg)
    try:
        return hashlib.new("sm3")
    except ValueError:
        return PureSM3()
