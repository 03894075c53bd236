"""What every file download shares: the ``format`` parameter, the OpenAPI 200 of a file,
and the response naming the file (RFC 6266) the same way for exports, templates and reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query, Response

from jiceng.api.problems import error_responses
from jiceng.sheets.writing import MEDIA_TYPES, Download, Sheet, SheetFormat, download

FormatParam = Annotated[
    SheetFormat,
    Query(alias="format", description="xlsx (Excel workbook) or csv (UTF-8 with a BOM)"),
]


def file_responses(*formats: SheetFormat) -> dict[int | str, dict[str, Any]]:
    """The 200 of a download in ``formats`` (OpenAPI must not say JSON there), and its 404."""
    return {
        200: {
            "description": "The file (Content-Disposition names it)",
            "content": {
                MEDIA_TYPES[f].split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for f in formats or tuple(SheetFormat)
            },
        },
        **error_responses(404),
    }


#: A report downloaded as xlsx or CSV.
FILE_RESPONSE = file_responses()


def send(file: Download) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": file.content_disposition},
    )


def report_file(
    sheet: Sheet, file_format: SheetFormat, org_name: str, what: str, on: date
) -> Response:
    """A subtree's report, named by organisation, report and the date it is as of."""
    day = on.isoformat()
    return send(download(sheet, file_format, f"{org_name}-{sheet.title}-{day}", f"{what}-{day}"))
