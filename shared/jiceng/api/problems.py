"""RFC 9457 ``application/problem+json`` for every error a client can see."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import asyncpg
import eventsourcing.persistence as es_persistence
import psycopg
import sqlalchemy.exc as sqlalchemy_exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from jiceng.api.language import prefers_english
from jiceng.errors import JicengError
from jiceng.eventlog.records import jsonable
from jiceng.messages import KERNEL_MESSAGES, Messages
from jiceng.outage import RETRY_AFTER_SECONDS, storage_unavailable
from jiceng.redaction import safe_error_text

log = logging.getLogger(__name__)
PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """An RFC 9457 problem with a stable ``code``; other members carry the error's numbers."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["https://jiceng.example/problems/vote.quorum_not_met"])
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable code")
    instance: str | None = None
    request_id: str | None = None


_STATUS_DESCRIPTIONS = {
    400: "Malformed request: a body that is not JSON or not UTF-8, nested too deeply",
    401: "Not authenticated",
    403: "Role not allowed",
    404: "Not found or outside the caller's scope",
    409: "Conflict with the current state, or same Idempotency-Key in flight",
    412: "If-Match names a stale version",
    413: "Request body too large",
    415: "Body of a type the operation does not read",
    422: "Invalid input, a broken rule, or an Idempotency-Key reused with another body",
    503: "Storage or upstream unavailable for now (`storage.unavailable`); try again after "
    "`Retry-After` seconds",
}
_RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses."""
    return {
        status: {
            "model": Problem,
            "description": _STATUS_DESCRIPTIONS.get(status, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            **({"headers": _RETRY_AFTER_HEADER} if status == 503 else {}),
        }
        for status in statuses
    }


#: Errors any authenticated route can return (400 and 422 from the input guard are added to
#: every operation where the app builds its OpenAPI).
COMMON_ERRORS = (401, 403, 422, 503)
#: Errors any route with a request body can return besides.
BODY_ERRORS = (413,)


#: Texts for a problem raised where no service's runtime is at hand (before the app is built).
_KERNEL_ONLY = Messages(KERNEL_MESSAGES)


def messages_of(app: Any) -> Messages:
    """The problem texts of the service an app serves (its runtime's)."""
    runtime = getattr(getattr(app, "state", None), "runtime", None)
    found = getattr(runtime, "messages", None)
    return found if isinstance(found, Messages) else _KERNEL_ONLY


def render_problem(
    messages: Messages,
    status: int,
    code: str,
    params: dict[str, Any] | None,
    *,
    english: bool,
    instance: str | None,
    request_id: str | None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The body and headers of a problem response."""
    params = params or {}
    title, detail = messages.render(code, params, english=english)
    body: dict[str, Any] = {
        "type": f"https://jiceng.example/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": instance,
        "request_id": request_id,
    }
    for key, value in params.items():
        body.setdefault(key, jsonable(value))
    headers = {"Content-Language": "en" if english else "zh-CN"}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status == 503:
        headers["Retry-After"] = str(params.get("retry_after", RETRY_AFTER_SECONDS))
    return body, headers


def storage_problem_params(error: BaseException) -> dict[str, Any]:
    """The parameters of a ``storage.unavailable`` problem (logged once, here)."""
    log.warning("storage unavailable: %s", safe_error_text(error))
    return {"reason": type(error).__name__, "retry_after": RETRY_AFTER_SECONDS}


def problem_response(
    request: Request, status: int, code: str, params: dict[str, Any] | None = None
) -> JSONResponse:
    body, headers = render_problem(
        messages_of(request.app),
        status,
        code,
        params,
        english=prefers_english(request.headers.get("accept-language")),
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None),
    )
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(JicengError)
    async def _jiceng_error(request: Request, error: JicengError) -> JSONResponse:
        return problem_response(request, error.status, error.code, error.params)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "location": ".".join(str(p) for p in e.get("loc", ())),
                "message": e.get("msg", ""),
                "type": e.get("type", ""),
            }
            for e in error.errors()
        ]
        fields = ", ".join(e["location"] for e in errors)
        return problem_response(
            request, 422, "request.invalid", {"fields": fields, "errors": errors}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code, params = {
            404: ("route.not_found", {"path": request.url.path}),
            405: ("method.not_allowed", {"method": request.method}),
            400: ("request.malformed_body", {"reason": str(error.detail)}),
        }.get(error.status_code, (f"http.{error.status_code}", {"reason": str(error.detail)}))
        response = problem_response(request, error.status_code, code, params)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value  # Allow on a 405, for one
        return response

    # Errors of the drivers and of eventsourcing: storage out of reach is a 503 with
    # Retry-After; anything else is re-raised, a bug answered 500 by RequestContextMiddleware
    # (which also answers a storage fault raised in a middleware, the idempotency store's).
    for kind in _STORAGE_ERROR_BASES:
        app.add_exception_handler(kind, _storage_unavailable)


async def _storage_unavailable(request: Request, error: Exception) -> JSONResponse:
    if not storage_unavailable(error):
        raise error
    return problem_response(request, 503, "storage.unavailable", storage_problem_params(error))


#: Where the errors of a storage outage come from (which of them are one is decided by
#: :func:`jiceng.outage.storage_unavailable`).
_STORAGE_ERROR_BASES: tuple[type[Exception], ...] = (
    es_persistence.PersistenceError,
    es_persistence.ConnectionPoolClosedError,
    sqlalchemy_exc.SQLAlchemyError,
    psycopg.Error,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    sqlite3.Error,
    OSError,
)
