"""Development gateway: one origin (http://127.0.0.1:8000) in front of the four services.

Routes ``/<service>/...`` to that service unchanged, streaming both ways so feed long-polls
pass through. Production uses an Ingress with the same routes.
"""

from __future__ import annotations

import itertools

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from jiceng.registry import service_names, url_of
from jiceng.settings import Settings

#: Methods a proxy may send again when a kept-alive connection turned out closed.
RETRYABLE = {"GET", "HEAD", "OPTIONS"}
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}


def _problem(
    status: int, code: str, title: str, detail: str, instance: str | None = None
) -> JSONResponse:
    body = {
        "type": f"https://jiceng.example/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail,
        "instance": instance,
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _unavailable(service: str, error: Exception, instance: str) -> JSONResponse:
    detail = f"{service}: {type(error).__name__}"
    return _problem(502, "gateway.upstream_unavailable", "Upstream unavailable", detail, instance)


def create_gateway(settings: Settings | None = None) -> ASGIApp:
    settings = settings or Settings()
    upstreams = {service: url_of(settings, service) for service in service_names()}
    replicas = {
        s: itertools.cycle(settings.gateway_upstreams.get(s) or [u]) for s, u in upstreams.items()
    }
    client = httpx.AsyncClient(timeout=httpx.Timeout(90.0), follow_redirects=False)

    async def index(_request: Request) -> Response:
        return JSONResponse(
            {
                "services": {
                    s: {"docs": f"/{s}/docs", "openapi": f"/{s}/openapi.json", "upstream": u}
                    for s, u in upstreams.items()
                }
            }
        )

    async def proxy(request: Request) -> Response:
        path = request.scope["path"]
        service = path.split("/", 2)[1]
        if service not in upstreams:
            return _problem(404, "route.not_found", "No such service", path[:200], path[:200])
        # The path and query exactly as received (percent-encoded), for the service to judge.
        raw = request.scope.get("raw_path") or request.url.path.encode()
        query = request.scope.get("query_string", b"")
        # Raw bytes both ways: a header value need not be ASCII, and the service answers it.
        headers = [
            (k, v) for k, v in request.headers.raw if k.lower().decode("latin-1") not in HOP_BY_HOP
        ]
        several = len(settings.gateway_upstreams.get(service) or ()) > 1
        replayable = request.method in RETRYABLE or several
        body = await request.body() if replayable else request.stream()
        # A kept-alive connection the service had closed: open another, once; with several
        # API processes, one that refuses the connection is passed over for the next.
        attempts = max(2 if request.method in RETRYABLE else 1, 3 if several else 1)
        for attempt in range(attempts):
            try:
                url = httpx.URL(next(replicas[service])).copy_with(
                    raw_path=raw + (b"?" + query if query else b"")
                )
            except httpx.InvalidURL:
                return _problem(400, "request.invalid_url", "Malformed URL", request.url.path[:200])
            outgoing = client.build_request(request.method, url, headers=headers, content=body)
            try:
                upstream = await client.send(outgoing, stream=True)
                break
            except (httpx.RemoteProtocolError, httpx.ConnectError) as error:
                retry = isinstance(error, httpx.ConnectError) and several
                retry = retry or (request.method in RETRYABLE and attempt == 0)
                if retry and attempt + 1 < attempts:
                    continue
                return _unavailable(service, error, path[:200])
            except httpx.HTTPError as error:
                return _unavailable(service, error, path[:200])
        # uvicorn adds its own date and server headers to the gateway's response.
        response_headers = [
            (k, v)
            for k, v in upstream.headers.raw
            if k.lower().decode("latin-1") not in HOP_BY_HOP
            and k.lower() not in (b"date", b"server")
        ]
        response = StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            background=BackgroundTask(upstream.aclose),
        )
        response.raw_headers = response_headers
        return response

    async def gateway(scope: Scope, receive: Receive, send: Send) -> None:
        """Every path and every method goes to the service it names: the service, not a
        route table here, decides what a request may be (any byte, any method)."""
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        try:
            response = await (index(request) if scope["path"] == "/" else proxy(request))
        except Exception as error:
            response = _unavailable("gateway", error, scope["path"][:200])
        await response(scope, receive, send)

    async def lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await client.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    return gateway
