"""Prometheus metrics of one service instance."""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)


class Metrics:
    """One registry per service instance (tests run several services in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        # What the default registry would show: the process (CPU, memory, open files), the
        # interpreter, and the garbage collector.
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
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
