"""SM3, the hash chain and offline verification, on bundles built in memory."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jiceng.audit.bundle import Bundle, verify
from jiceng.audit.checkpoints import Signer, signature_valid
from jiceng.eventlog import sm3
from jiceng.eventlog.chain import genesis, link
from jiceng.eventlog.records import FeedEvent

VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize(("data", "expected"), VECTORS)
def test_sm3_standard_vectors(data: bytes, expected: str) -> None:
    pure = sm3.PureSM3()
    pure.update(data[:5])
    pure.update(data[5:])
    assert pure.digest().hex() == expected
    hasher = sm3.new("sm3")
    hasher.update(data)
    assert hasher.digest().hex() == expected


def test_pure_sm3_agrees_with_openssl_on_many_lengths() -> None:
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL has no SM3 to compare with")
    for length in range(0, 200, 7):
        data = bytes(range(256))[:length] * 3
        pure = sm3.PureSM3()
        pure.update(data)
        assert pure.digest() == hashlib.new("sm3", data).digest()


def event(n: int, stream: str = "s1", version: int | None = None) -> FeedEvent:
    return FeedEvent(
        id=n,
        stream_id=stream,
        stream_version=version or n,
        type="Thing.Happened",
        occurred_at="2026-11-23T00:00:00+00:00",
        actor="jwt:a",
        correlation_id="c",
        causation_id=None,
        reason=None,
        policy_pack=None,
        payload={"n": n},
    )


SIGNER = Signer(b"\x01" * 32)


def bundle(count: int = 6, algorithm: str = "sm3") -> Bundle:
    events = [event(n) for n in range(1, count + 1)]
    digests, previous = {}, genesis("svc", algorithm)
    for e in events:
        previous = link(previous, e, algorithm)
        digests[e.id] = previous.hex()
    return Bundle("svc", algorithm, events, digests, [checkpoint(count, digests[count], algorithm)])


def checkpoint(position: int, digest: str, algorithm: str = "sm3") -> dict[str, object]:
    fields = {
        "service": "svc",
        "position": position,
        "digest": digest,
        "algorithm": algorithm,
        "signed_at": datetime(2026, 11, 23, tzinfo=UTC).isoformat(),
    }
    return {**fields, "public_key": SIGNER.public_key, "signature": SIGNER.sign(fields)}


@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_an_untouched_bundle_verifies(algorithm: str, tmp_path: Path) -> None:
    original = bundle(algorithm=algorithm)
    original.write(tmp_path)
    report = verify(Bundle.read(tmp_path), trusted_keys={SIGNER.public_key})
    assert report.ok, report.findings
    assert (report.events, report.chained, report.checkpoints) == (6, 6, 1)


def test_an_altered_event_is_named() -> None:
    b = bundle()
    b.events[2] = replace(b.events[2], payload={"n": 999})
    report = verify(b)
    assert report.first is not None
    assert (report.first.kind, report.first.event_id) == ("altered", 3)
    assert [f.kind for f in report.findings] == ["altered", "checkpoint_mismatch"]


def test_a_deleted_event_is_named() -> None:
    b = bundle()
    del b.events[3]
    report = verify(b)
    assert report.first is not None
    assert (report.first.kind, report.first.event_id) == ("missing", 4)


def test_reordered_events_are_caught_at_the_first() -> None:
    b = bundle()
    b.events[1], b.events[2] = (replace(b.events[2], id=2), replace(b.events[1], id=3))
    report = verify(b)
    assert report.first is not None and report.first.event_id == 2


def test_a_rewritten_chain_is_caught_by_the_signed_checkpoint() -> None:
    b = bundle()
    b.events[0] = replace(b.events[0], payload={"n": -1})
    previous, digests = genesis("svc", "sm3"), {}
    for e in b.events:  # the forger recomputes every digest, but cannot sign
        previous = link(previous, e, "sm3")
        digests[e.id] = previous.hex()
    forged = replace(b, digests=digests)
    report = verify(forged)
    assert [f.kind for f in report.findings] == ["checkpoint_mismatch"]


def test_deleting_the_newest_events_is_caught_by_an_earlier_checkpoint() -> None:
    earlier = bundle(6)
    truncated = bundle(4)  # the last two events and their digests are gone
    assert verify(truncated).ok  # on its own, a shorter log looks fine
    report = verify(truncated, extra_checkpoints=earlier.checkpoints)
    assert report.first is not None
    assert (report.first.kind, report.first.event_id) == ("truncated", 5)


def test_a_bad_or_untrusted_signature() -> None:
    b = bundle()
    forged = {**b.checkpoints[0], "digest": "00" * 32}
    assert not signature_valid(forged)
    report = verify(replace(b, checkpoints=[forged]))
    assert [f.kind for f in report.findings] == ["bad_signature"]
    other = Signer(b"\x02" * 32)
    assert not verify(b, trusted_keys={other.public_key}).ok


def test_a_stream_with_a_missing_version() -> None:
    b = bundle(3)
    b.events[2] = replace(b.events[2], stream_version=4)
    kinds = {f.kind for f in verify(b).findings}
    assert "stream_gap" in kinds
