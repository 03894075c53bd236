"""Download of the structural alerts of a subtree (xlsx or CSV).

The download calls the JSON endpoint's own function, so a file holds what the JSON holds for the
same caller: the same scope (the same 404), the same alerts, messages in the same language.
"""

from __future__ import annotations

import json
from uuid import UUID

from fastapi import APIRouter, Request, Response

from jiceng.api.deps import CurrentPrincipal, Runtime, visible_org
from jiceng.api.downloads import FILE_RESPONSE, FormatParam, report_file
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.sheets.writing import Sheet, SheetFormat
from org_registry.api.schemas import AlertView
from org_registry.api.support import OnDate
from org_registry.api.tree import alerts

router = APIRouter(tags=["exports"], responses=error_responses(*COMMON_ERRORS))

ALERT_HEADERS = ("党组织", "预警内容", "规则", "政策包", "相关数字", "预警代码", "党组织ID")


def alerts_sheet(views: list[AlertView]) -> Sheet:
    rows = [
        [
            a.org_name,
            a.message,
            a.rule,
            a.pack,
            json.dumps(a.numbers, ensure_ascii=False, sort_keys=True, default=str),
            a.code,
            str(a.org_id),
        ]
        for a in views
    ]
    return Sheet("结构预警", ALERT_HEADERS, rows)


@router.get(
    "/organisations/{org_id}/alerts/export",
    name="export_structural_alerts",
    summary="Structural alerts in the subtree as an xlsx or CSV file",
    response_class=Response,
    responses=FILE_RESPONSE,
)
async def export_alerts(
    org_id: UUID,
    request: Request,
    runtime: Runtime,
    principal: CurrentPrincipal,
    file_format: FormatParam = SheetFormat.XLSX,
    on: OnDate = None,
) -> Response:
    root = await visible_org(runtime, principal, org_id)
    views = await alerts(org_id, request, runtime, principal, on=on)
    return report_file(alerts_sheet(views), file_format, root.name, "alerts", on or runtime.clock())
