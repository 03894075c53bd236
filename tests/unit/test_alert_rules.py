"""The shipped alert rules and dashboard read metrics the services really export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client import generate_latest

from support import Api

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "components" / "monitoring"
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")


def _exported(api: Api) -> set[str]:
    text = generate_latest(api.runtime.metrics.registry).decode()
    return set(re.findall(r"^# TYPE (\S+)", text, flags=re.M))


def _unknown(expr: str, exported: set[str]) -> set[str]:
    """Metric names in ``expr`` that no family exports (``up`` is Prometheus's own)."""
    used = set(re.findall(r"\b((?:jiceng|process|python)_[a-z_]+)\b", expr))
    known = {
        u for u in used if u in exported or any(u.removesuffix(s) in exported for s in SUFFIXES)
    }
    return used - known


async def test_every_alert_reads_an_exported_metric(org_api: Api) -> None:
    exported = _exported(org_api)
    rule = yaml.safe_load((MONITORING / "prometheusrule.yaml").read_text(encoding="utf-8"))
    rules = [r for group in rule["spec"]["groups"] for r in group["rules"]]
    assert {r["alert"] for r in rules} >= {
        "JicengDeadLetters",
        "JicengFollowerFailing",
        "JicengServerErrors",
        "JicengSlowRoute",
    }
    for r in rules:
        assert re.search(r"\b(jiceng_[a-z_]+|up)\b", r["expr"]), r["alert"]
        assert not _unknown(r["expr"], exported), (r["alert"], _unknown(r["expr"], exported))


async def test_every_dashboard_panel_reads_an_exported_metric(org_api: Api) -> None:
    exported = _exported(org_api)
    dashboard = json.loads((MONITORING / "dashboard.json").read_text(encoding="utf-8"))
    titles = []
    for panel in dashboard["panels"]:
        titles.append(panel["title"])
        for target in panel["targets"]:
            assert not _unknown(target["expr"], exported), (panel["title"], target["expr"])
    assert any("lag" in t for t in titles) and any("Dead letters" in t for t in titles)
    assert any("5xx" in t for t in titles) and any("p99" in t for t in titles)
