"""``/<svc>/v1/imports``: upload a spreadsheet, follow the job, fetch its report.

The upload is the request body itself (xlsx or CSV, up to
:data:`~jiceng.api.input_guard.MAX_UPLOAD_BYTES`), checked
and written by a background job; a dry run (the default) writes nothing. Jobs are read by
whoever may see the subtree they imported into.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field

from jiceng.api.deps import Runtime, Writer, event_meta, in_scope, visible_org
from jiceng.api.downloads import file_responses, send
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.auth.principal import Principal
from jiceng.errors import InvalidInput, NotFound, UnsupportedMediaType
from jiceng.eventlog import EventMeta
from jiceng.orgtree.queries import OrgNode
from jiceng.runtime import ServiceRuntime
from jiceng.sheets import messages as _messages  # noqa: F401  (registers problem texts)
from jiceng.sheets.importing import Importer
from jiceng.sheets.jobs import JobRequest
from jiceng.sheets.mapping import Mapping
from jiceng.sheets.reading import SheetFile
from jiceng.sheets.report import Report, problems_xlsx
from jiceng.sheets.template import template_xlsx
from jiceng.sheets.writing import (
    MEDIA_TYPES,
    Download,
    SheetFormat,
    safe_file_name,
)

XLSX = MEDIA_TYPES[SheetFormat.XLSX]
#: What an upload may be sent as (browsers send CSV under several names).
UPLOAD_TYPES = (
    XLSX,
    "text/csv",
    "application/csv",
    "application/vnd.ms-excel",
    "text/plain",
    "application/octet-stream",
)
#: Characters that reorder or hide text: a file name holding one could pass for another.
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

#: (runtime, who imports, the subtree to import into (None: all), attribution) → the importer
ImporterFactory = Callable[[ServiceRuntime, Principal, OrgNode | None, EventMeta], Importer]


class JobView(BaseModel):
    """An import job (导入任务)."""

    id: UUID
    kind: str
    state: str = Field(description="running, succeeded, failed or interrupted")
    dry_run: bool
    accept_valid: bool
    file_name: str
    sha256: str
    size: int
    done: int = Field(description="Rows handled so far")
    total: int | None = Field(description="Rows to handle (known once the file was read)")
    summary: dict[str, Any] | None = Field(
        description="rows, valid, refused, new, changed, unchanged, written, problem_count"
    )
    error: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> JobView:
        return cls(**{k: v for k, v in row.items() if k in cls.model_fields})


class ProblemView(BaseModel):
    sheet: str
    row: int
    column: str
    value: str = Field(description="As typed; personal data masked")
    rule: str
    message: str
    message_en: str


class ReportView(BaseModel):
    job: JobView
    problems: list[ProblemView]


def import_router(kind: str, factory: ImporterFactory, mapping: Callable[[], Mapping]) -> APIRouter:
    """Upload, template, job and report routes for importing ``kind`` (people, orgs...)."""
    router = APIRouter(tags=["imports"], responses=error_responses(*COMMON_ERRORS))

    @router.post(
        f"/imports/{kind}",
        name=f"import_{kind}",
        status_code=status.HTTP_202_ACCEPTED,
        summary=f"Upload a spreadsheet of {kind} (xlsx or CSV); a dry run unless told",
        response_model=JobView,
        responses=error_responses(404, 413, 415),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in UPLOAD_TYPES
                },
            }
        },
    )
    async def upload(
        request: Request,
        response: Response,
        runtime: Runtime,
        principal: Writer,
        filename: Annotated[str, Query(min_length=1, max_length=200)] = "upload",
        dry_run: Annotated[bool, Query(description="Check only, write nothing")] = True,
        accept_valid: Annotated[
            bool, Query(description="Write the valid rows even if others are refused")
        ] = False,
        org_id: Annotated[
            UUID | None, Query(description="The subtree to import into (default: your own)")
        ] = None,
    ) -> JobView:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in UPLOAD_TYPES:
            raise UnsupportedMediaType("import.media_type", given=media[:100], allowed=UPLOAD_TYPES)
        if _BIDI.search(filename):
            raise InvalidInput("request.invalid", fields=["filename"])
        data = await request.body()
        if not data:
            raise InvalidInput("request.invalid", fields=["body"])
        scope = await _scope(runtime, principal, org_id)
        meta = event_meta(request, principal, f"表格导入：{filename}")
        importer = factory(runtime, principal, scope, meta)
        file = SheetFile.from_bytes(data, filename)
        job = JobRequest(
            kind, file, principal.actor, scope.id if scope else None, dry_run, accept_valid
        )

        async def settle(_report: Report) -> None:
            position = getattr(importer, "last_position", 0)
            if position:  # the job ends when lists show what it wrote
                await runtime.read_your_writes(position, timeout=120)

        job_id = await runtime.imports.start(job, importer, settle)
        found = await runtime.imports.get(job_id)
        assert found is not None
        response.headers["Location"] = f"{request.url.path.rsplit('/', 1)[0]}/jobs/{job_id}"
        return JobView.of(found)

    @router.get(
        f"/imports/{kind}/template",
        name=f"import_{kind}_template",
        summary=f"An empty spreadsheet with the columns an import of {kind} reads",
        response_class=Response,
        responses=file_responses(SheetFormat.XLSX),
    )
    async def template(_principal: Writer) -> Response:
        body = template_xlsx(mapping(), kind)
        return send(Download(body, XLSX, f"{kind}-导入模板.xlsx", f"{kind}-template.xlsx"))

    return router


def jobs_router() -> APIRouter:
    """Reading jobs of any kind (one per service)."""
    router = APIRouter(tags=["imports"], responses=error_responses(*COMMON_ERRORS))

    @router.get(
        "/imports/jobs/{job_id}",
        name="get_import_job",
        summary="An import job: state, progress, counts",
        response_model=JobView,
        responses=error_responses(404),
    )
    async def get_job(job_id: UUID, runtime: Runtime, principal: Writer) -> JobView:
        return JobView.of(await _job(runtime, principal, job_id))

    @router.get(
        "/imports/jobs/{job_id}/report",
        name="get_import_report",
        summary="What is wrong, row by row (JSON, or xlsx to fix and upload again)",
        response_model=ReportView,
        responses={
            **error_responses(404),
            200: {
                "content": {
                    "application/json": {},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                }
            },
        },
    )
    async def get_report(
        job_id: UUID,
        runtime: Runtime,
        principal: Writer,
        format: Annotated[str, Query(pattern="^(json|xlsx)$")] = "json",
    ) -> Any:
        job = await _job(runtime, principal, job_id)
        problems = [ProblemView(**p) for p in job.get("problems") or []]
        if format == "json":
            return ReportView(job=JobView.of(job), problems=problems)
        name = f"{job['file_name'].rsplit('.', 1)[0]}-校验报告"
        ascii_name = f"import-report-{job_id}"
        body = problems_xlsx(job.get("problems") or [])
        return send(Download(body, XLSX, f"{safe_file_name(name)}.xlsx", f"{ascii_name}.xlsx"))

    return router


async def _scope(
    runtime: ServiceRuntime, principal: Principal, org_id: UUID | None
) -> OrgNode | None:
    """The subtree an import writes into: the one named (if visible), else the caller's."""
    if org_id is not None:
        return await visible_org(runtime, principal, org_id)
    if principal.sees_everything:
        return None
    if principal.org is None:
        raise NotFound("resource.not_found", resource="organisation", id="")
    return await visible_org(runtime, principal, principal.org)


async def _job(runtime: ServiceRuntime, principal: Principal, job_id: UUID) -> dict[str, Any]:
    job = await runtime.imports.get(str(job_id))
    if job is not None:
        if job["scope_org"] is None and principal.sees_everything:
            return job
        if job["scope_org"] is not None:
            node = await runtime.orgtree.get(UUID(job["scope_org"]))
            if node is not None and await in_scope(runtime, principal, node):
                return job
    raise NotFound("resource.not_found", resource="import_job", id=str(job_id))
