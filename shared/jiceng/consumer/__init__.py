"""Followers of feeds: into read models (Consumer) or into new events (ProcessConsumer)."""

from jiceng.consumer.follower import Follower
from jiceng.consumer.process import Changes, ProcessConsumer
from jiceng.consumer.runner import Consumer
from jiceng.consumer.sources import FeedSource, HttpFeedSource, LocalFeedSource, UpstreamUnavailable
from jiceng.consumer.status import ConsumerStatus

__all__ = [
    "Changes",
    "Consumer",
    "ConsumerStatus",
    "FeedSource",
    "Follower",
    "HttpFeedSource",
    "LocalFeedSource",
    "ProcessConsumer",
    "UpstreamUnavailable",
]
