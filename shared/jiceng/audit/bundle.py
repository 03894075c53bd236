"""Audit bundles: export a service's events, digests and checkpoints; verify them offline.

A bundle is a folder: ``manifest.json``, ``events.jsonl`` (the feed's canonical form),
``digests.jsonl`` (the chain as the service recorded it) and ``checkpoints.jsonl`` (signed
chain heads). Verification needs nothing else: it recomputes every digest, checks every
signature, and names the first event that does not match, any missing event, and any
checkpoint the log no longer reaches.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiceng.audit.checkpoints import signature_valid
from jiceng.eventlog.chain import genesis, link
from jiceng.eventlog.records import FeedEvent, canonical_json


@dataclass(frozen=True)
class Bundle:
    service: str
    algorithm: str
    events: list[FeedEvent]
    digests: dict[int, str]
    checkpoints: list[dict[str, Any]]

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        manifest = {
            "service": self.service,
            "algorithm": self.algorithm,
            "genesis": genesis(self.service, self.algorithm).hex(),
            "events": len(self.events),
            "head": self.events[-1].id if self.events else 0,
            "public_keys": sorted({c["public_key"] for c in self.checkpoints}),
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        _write_lines(folder / "events.jsonl", (e.as_dict() for e in self.events))
        _write_lines(
            folder / "digests.jsonl",
            ({"event_id": i, "digest": d} for i, d in sorted(self.digests.items())),
        )
        _write_lines(folder / "checkpoints.jsonl", self.checkpoints)

    @classmethod
    def read(cls, folder: Path) -> Bundle:
        manifest = json.loads((folder / "manifest.json").read_text())
        return cls(
            service=manifest["service"],
            algorithm=manifest["algorithm"],
            events=[FeedEvent.from_dict(e) for e in _read_lines(folder / "events.jsonl")],
            digests={
                int(d["event_id"]): d["digest"] for d in _read_lines(folder / "digests.jsonl")
            },
            checkpoints=list(_read_lines(folder / "checkpoints.jsonl")),
        )


def _write_lines(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with path.open("wb") as out:
        for row in rows:
            out.write(canonical_json(row) + b"\n")


def _read_lines(path: Path) -> Iterable[dict[str, Any]]:
    if not path.exists():
        return
    with path.open("rb") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True)
class Finding:
    kind: str  # altered, missing, unchained, out_of_order, stream_gap, bad_signature, ...
    event_id: int | None
    detail: str


@dataclass
class Report:
    service: str
    events: int = 0
    chained: int = 0
    checkpoints: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        located = [f for f in self.findings if f.event_id is not None]
        return (
            min(located, key=lambda f: f.event_id or 0)
            if located
            else (self.findings[0] if self.findings else None)
        )


def verify(
    bundle: Bundle,
    *,
    extra_checkpoints: Iterable[dict[str, Any]] = (),
    trusted_keys: set[str] | None = None,
) -> Report:
    report = Report(bundle.service, events=len(bundle.events), chained=len(bundle.digests))
    events = {e.id: e for e in bundle.events}
    ids = [e.id for e in bundle.events]
    if ids != sorted(set(ids)):
        report.findings.append(Finding("out_of_order", None, "events are not in log order"))
    computed = _check_chain(bundle, events, report)
    _check_streams(bundle.events, report)
    _check_checkpoints(
        bundle, [*bundle.checkpoints, *extra_checkpoints], events, computed, trusted_keys, report
    )
    return report


def _check_chain(bundle: Bundle, events: dict[int, FeedEvent], report: Report) -> dict[int, str]:
    """Walk the chain; return the digests recomputed from the events alone."""
    start = genesis(bundle.service, bundle.algorithm)
    recorded_prev, computed_prev = start, start
    computed: dict[int, str] = {}
    last_chained = max(bundle.digests, default=0)
    for event_id in sorted(set(events) | set(bundle.digests)):
        event, recorded = events.get(event_id), bundle.digests.get(event_id)
        if event is None:
            report.findings.append(
                Finding("missing", event_id, f"event {event_id} was chained but is not in the log")
            )
            assert recorded is not None
            recorded_prev = bytes.fromhex(recorded)
            continue
        expected = link(recorded_prev, event, bundle.algorithm)
        computed_prev = link(computed_prev, event, bundle.algorithm)
        computed[event_id] = computed_prev.hex()
        if recorded is None:
            if event_id < last_chained:
                report.findings.append(
                    Finding("unchained", event_id, f"event {event_id} is not in the chain")
                )
            recorded_prev = expected
        elif expected.hex() != recorded:
            report.findings.append(
                Finding(
                    "altered",
                    event_id,
                    f"event {event_id} ({event.type} {event.stream_id}@{event.stream_version}) "
                    "does not match its recorded digest",
                )
            )
            recorded_prev = bytes.fromhex(recorded)
        else:
            recorded_prev = expected
    return computed


def _check_streams(events: list[FeedEvent], report: Report) -> None:
    versions: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for event in events:
        versions[event.stream_id].append((event.id, event.stream_version))
    for stream, seen in versions.items():
        for expected_version, (event_id, version) in enumerate(sorted(seen), start=1):
            if version != expected_version:
                report.findings.append(
                    Finding(
                        "stream_gap",
                        event_id,
                        f"stream {stream}: event {event_id} is version {version}, "
                        f"expected {expected_version}",
                    )
                )
                break


def _check_checkpoints(
    bundle: Bundle,
    checkpoints: list[dict[str, Any]],
    events: dict[int, FeedEvent],
    computed: dict[int, str],
    trusted_keys: set[str] | None,
    report: Report,
) -> None:
    head = max(events, default=0)
    seen: set[tuple[int, str]] = set()
    for checkpoint in checkpoints:
        key = (int(checkpoint["position"]), checkpoint["digest"])
        if key in seen:
            continue
        seen.add(key)
        report.checkpoints += 1
        position = key[0]
        if checkpoint.get("service") != bundle.service or not signature_valid(
            checkpoint, trusted_keys
        ):
            report.findings.append(
                Finding("bad_signature", position, f"checkpoint at {position} has a bad signature")
            )
        elif position > head:
            report.findings.append(
                Finding(
                    "truncated",
                    head + 1,
                    f"a signed checkpoint reaches event {position}; the log ends at {head}",
                )
            )
        elif computed.get(position) != checkpoint["digest"]:
            report.findings.append(
                Finding(
                    "checkpoint_mismatch",
                    position,
                    f"the log up to event {position} differs from the signed checkpoint",
                )
            )
