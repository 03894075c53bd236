"""assessment's event log (its aggregates arrive with the issues that build them)."""

from __future__ import annotations

from jiceng.eventlog import EventLog


class Assessment(EventLog):
    name = "Assessment"
