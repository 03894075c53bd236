"""Prometheus metrics of one service instance."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class Metrics:
    """One registry per service instance (tests run several services in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "jiceng_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "jiceng_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )
