"""JSON log lines carry the request id; request ids are honoured and returned."""

from __future__ import annotations

import json
import logging

import pytest

from jiceng.api.observability import JsonFormatter, request_id_var
from support import Api


def test_json_log_line_has_the_request_id() -> None:
    token = request_id_var.set("req-42")
    try:
        record = logging.LogRecord(
            "jiceng.access", logging.INFO, __file__, 1, "GET %s", ("/x",), None
        )
        record.fields = {"status": 200}
        line = json.loads(JsonFormatter("org-registry").format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-42"
    assert (line["service"], line["message"], line["status"]) == ("org-registry", "GET /x", 200)


async def test_request_id_is_returned_and_logged(
    org_api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="jiceng.access"):
        response = await org_api.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    [record] = [r for r in caplog.records if r.name == "jiceng.access"]
    assert record.fields["path"] == "/healthz"  # type: ignore[attr-defined]


async def test_metrics_count_requests(org_api: Api) -> None:
    await org_api.client.get("/healthz")
    text = (await org_api.client.get("/metrics")).text
    assert 'jiceng_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'jiceng_consumer_lag_events{consumer="org-registry:orgtree"}' in text


async def test_metrics_show_the_process_the_interpreter_and_the_collector(org_api: Api) -> None:
    text = (await org_api.client.get("/metrics")).text
    assert "process_cpu_seconds_total" in text
    assert "python_info{" in text
    assert "python_gc_objects_collected_total" in text
