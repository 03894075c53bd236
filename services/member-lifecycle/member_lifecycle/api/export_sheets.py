"""The sheets of member-lifecycle's downloads: Chinese headers in a fixed order, and rows made
from the JSON views the list endpoints answer (so a file shows exactly what the API shows)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from jiceng.orgtree.domains import OrgDomain
from jiceng.sheets.writing import Sheet
from member_lifecycle.api.people import PersonView
from member_lifecycle.api.queries import Bucket, Pipeline, RosterEntry
from member_lifecycle.api.to_do import ToDo
from member_lifecycle.domain.membership_rules import GOOD, SUSPENDED
from member_lifecycle.domain.person import GENDER_LABELS, Gender
from member_lifecycle.domain.stages import Stage, Step

#: 党籍状态 (the read model keeps the code).
STANDING_LABELS = {GOOD: "正常", SUSPENDED: "停止党籍"}

ROSTER_HEADERS = (
    "姓名",
    "性别",
    "民族",
    "年龄",
    "身份证号",
    "联系电话",
    "学历",
    "职业",
    "工作单位",
    "所在党组织",
    "阶段",
    "最近步骤",
    "转正日期",
    "预备期满日期",
    "党籍状态",
    "转往党组织",
    "流出去向",
    "人员ID",
)
PIPELINE_HEADERS = ("统计方式", "领域", "阶段或步骤", "人数")
TO_DO_HEADERS = (
    "到期日",
    "事项",
    "姓名",
    "所在党组织",
    "阶段",
    "是否逾期",
    "逾期天数",
    "人员ID",
)

NO_STEP = "尚无步骤"


def _gender_label(code: str) -> str:
    try:
        return GENDER_LABELS[Gender(code)]
    except ValueError:
        return code


def _step_label(code: str | None) -> str | None:
    if code is None:
        return None
    try:
        return Step.of(code).label
    except ValueError:
        return code


def _domain_label(code: str) -> str:
    # The pipeline groups organisations without a domain under "unknown".
    if code == "unknown":
        return "未知"
    try:
        return OrgDomain.of(code).label
    except ValueError:
        return code


def roster_sheet(
    entries: Iterable[RosterEntry],
    people: Mapping[UUID, PersonView],
    org_names: Mapping[UUID, str],
) -> Sheet:
    """One row per person on the roster, with the masked 身份证号 and phone of the people list.

    ``org_names`` holds the organisations the caller may see; a transfer's destination beyond
    them is shown by its id, as the JSON shows it."""
    rows: list[list[Any]] = []
    for e in entries:
        person = people.get(e.id)
        rows.append(
            [
                e.name,
                _gender_label(e.gender),
                person.ethnicity if person else None,
                e.age,
                person.resident_id if person else None,
                person.phone if person else None,
                e.education,
                person.occupation if person else None,
                person.work_unit if person else None,
                org_names.get(e.branch_id, str(e.branch_id)),
                e.stage.label,
                _step_label(e.last_step),
                e.formal_since,
                e.probation_ends_on,
                STANDING_LABELS.get(e.standing, e.standing),
                org_names.get(e.transfer_to, str(e.transfer_to)) if e.transfer_to else None,
                e.outflow_destination,
                str(e.id),
            ]
        )
    return Sheet("花名册", ROSTER_HEADERS, rows)


def _order(enum: Any, bucket: Bucket) -> tuple[int, str]:
    """Buckets in the enum's order (the path's order), unknown codes and none last."""
    codes = [m.value for m in enum]
    key = bucket.key or ""
    return (codes.index(key) if key in codes else len(codes), key)


def pipeline_sheet(pipeline: Pipeline) -> Sheet:
    """The pipeline's three groupings one under the other: by stage, by step, by domain."""
    rows: list[list[Any]] = []
    for b in sorted(pipeline.by_stage, key=lambda b: _order(Stage, b)):
        rows.append(["按阶段", None, b.label or b.key, b.count])
    for b in sorted(pipeline.by_step, key=lambda b: _order(Step, b)):
        rows.append(["按步骤", None, b.label or b.key or NO_STEP, b.count])
    for domain in sorted(pipeline.by_domain):
        for b in sorted(pipeline.by_domain[domain], key=lambda b: _order(Stage, b)):
            rows.append(["按领域", _domain_label(domain), b.label or b.key, b.count])
    return Sheet("发展党员进度", PIPELINE_HEADERS, rows)


def to_do_sheet(items: Iterable[ToDo], org_names: Mapping[UUID, str]) -> Sheet:
    rows = [
        [
            t.due_on,
            t.label,
            t.name,
            org_names.get(t.branch_id, str(t.branch_id)),
            t.stage.label,
            t.overdue,
            t.days_overdue,
            str(t.person_id),
        ]
        for t in items
    ]
    return Sheet("待办事项", TO_DO_HEADERS, rows)
