"""Consumers: follow a feed and apply it to a read model exactly once."""

from jiceng.consumer.runner import Consumer, ConsumerStatus
from jiceng.consumer.sources import FeedSource, HttpFeedSource, LocalFeedSource, UpstreamUnavailable

__all__ = [
    "Consumer",
    "ConsumerStatus",
    "FeedSource",
    "HttpFeedSource",
    "LocalFeedSource",
    "UpstreamUnavailable",
]
