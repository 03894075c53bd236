"""The development path as requests: the demo walks people along it, and so do the tests.

Dates are those of one person who applied on 2024-01-10 and became a full member on
2026-04-01; :func:`requests` shifts them to place a person anywhere along the way.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

#: The branch has 16 voting members, not all on the register yet: it states the figure, says
#: why, and the vote is flagged for auditors (``/orgs/{id}/vote-discrepancies``).
BALLOT = {
    "entitled": 16,
    "entitled_reason": "支部有表决权党员 16 人，名册尚在录入",
    "present": 9,
    "in_favour": 9,
}


def requests(
    contacts: list[str],
    introducers: list[str],
    approver: str,
    *,
    shift_days: int = 0,
    stop_before: str | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """``(action, body)`` for ``POST /member-lifecycle/v1/people/{id}/<action>``, in order."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("application", {"on": "2024-01-10"}),
        ("application-talk", {"on": "2024-01-20", "body": "组织委员", "summary": "谈话记录"}),
        (
            "activist-designation",
            {"on": "2024-02-01", "body": "branch_committee", "recommendation": "party_members"},
        ),
        ("activist-filing", {"on": "2024-02-05", "body": "党委"}),
        ("contacts-assignment", {"on": "2024-02-10", "members": contacts}),
        ("activist-assessment", {"on": "2024-08-01", "summary": "表现良好"}),
        (
            "candidate-designation",
            {"on": "2025-02-01", "body": "支委会", "heard": ["contacts", "members", "masses"]},
        ),
        ("candidate-filing", {"on": "2025-02-05", "body": "党委"}),
        ("introducers", {"on": "2025-02-10", "members": introducers}),
        ("political-review", {"on": "2025-03-01", "passed": True, "summary": "政审合格"}),
        ("training", {"on": "2025-03-10", "body": "党校", "days": 3}),
        ("committee-review", {"on": "2025-03-15", "passed": True}),
        ("pre-review", {"on": "2025-03-20", "passed": True, "summary": "预审合格", "body": "党委"}),
        ("application-form", {"on": "2025-03-25"}),
        ("admission-vote", {"on": "2025-04-01", "vote": BALLOT}),
        ("upper-talk", {"on": "2025-04-10", "body": "组织员", "summary": "谈话记录"}),
        ("admission-approval", {"on": "2025-05-01", "approver_org_id": approver}),
        ("admission-filing", {"on": "2025-05-10", "body": "组织部"}),
        ("group-placement", {"on": "2025-05-10", "group": "第一党小组"}),
        ("oath", {"on": "2025-05-15"}),
        ("probation-assessment", {"on": "2025-10-01", "summary": "表现良好"}),
        ("conversion-application", {"on": "2026-03-20"}),
        ("conversion-vote", {"on": "2026-04-15", "vote": BALLOT, "outcome": "convert"}),
        ("conversion-approval", {"on": "2026-05-10", "approver_org_id": approver}),
        ("archiving", {"on": "2026-05-20", "body": "支部"}),
    ]
    shifted = []
    for action, body in steps:
        if action == stop_before:
            break
        on = date.fromisoformat(body["on"]) + timedelta(days=shift_days)
        shifted.append((action, {**body, "on": on.isoformat()}))
    return shifted


def date_of(action: str) -> date:
    """The unshifted date of ``action`` on the path."""
    return date.fromisoformat(next(b["on"] for a, b in requests([], [], "") if a == action))
