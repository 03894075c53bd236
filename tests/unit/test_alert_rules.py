"""The shipped alert rules name metrics the services really export."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from prometheus_client import generate_latest

from support import Api

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "jiceng-alerts.yml"


async def test_every_alert_reads_an_exported_metric(org_api: Api) -> None:
    exported = generate_latest(org_api.runtime.metrics.registry).decode()
    names = set(re.findall(r"^# TYPE (\S+)", exported, flags=re.M))
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    assert {r["alert"] for r in rules} >= {"JicengDeadLetters", "JicengFollowerFailing"}
    for rule in rules:
        used = set(re.findall(r"\b(jiceng_[a-z_]+)\b", rule["expr"]))
        assert used and used <= names, (rule["alert"], used - names)
