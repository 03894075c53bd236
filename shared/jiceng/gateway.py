"""Development gateway: one origin (http://127.0.0.1:8000) in front of the four services.

Routes ``/<service>/...`` to that service unchanged, streaming both ways so feed long-polls
pass through. Production uses an Ingress with the same routes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from jiceng.settings import SERVICES, Settings

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


def create_gateway(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    upstreams = {service: settings.service_url(service) for service in SERVICES}
    client = httpx.AsyncClient(timeout=httpx.Timeout(90.0), follow_redirects=False)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

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
        service = request.path_params["service"]
        if service not in upstreams:
            return JSONResponse(
                {
                    "type": "about:blank",
                    "title": "No such service",
                    "status": 404,
                    "code": "route.not_found",
                    "detail": request.url.path,
                },
                status_code=404,
                media_type="application/problem+json",
            )
        url = httpx.URL(upstreams[service] + request.url.path, query=request.url.query.encode())
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        outgoing = client.build_request(
            request.method, url, headers=headers, content=request.stream()
        )
        try:
            upstream = await client.send(outgoing, stream=True)
        except httpx.HTTPError as error:
            return JSONResponse(
                {
                    "type": "about:blank",
                    "title": "Upstream unavailable",
                    "status": 502,
                    "code": "gateway.upstream_unavailable",
                    "detail": f"{service}: {error!r}",
                },
                status_code=502,
                media_type="application/problem+json",
            )
        # uvicorn adds its own date and server headers to the gateway's response.
        response_headers = {
            k: v
            for k, v in upstream.headers.items()
            if k.lower() not in HOP_BY_HOP and k.lower() not in ("date", "server")
        }
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=response_headers,
            background=BackgroundTask(upstream.aclose),
        )

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return Starlette(
        routes=[
            Route("/", index),
            Route("/{service}", proxy, methods=methods),
            Route("/{service}/{rest:path}", proxy, methods=methods),
        ],
        lifespan=lifespan,
    )
