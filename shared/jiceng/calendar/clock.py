"""Today's date where domain dates live: Asia/Shanghai, whatever the machine's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Today in Beijing: domain dates (steps, terms, deadlines) are dates there."""
    return datetime.now(SHANGHAI).date()
