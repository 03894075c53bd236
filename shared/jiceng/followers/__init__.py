"""Followers of feeds: into read models (ProjectionFollower) or new events (ReactionFollower)."""

from jiceng.followers.follower import Follower
from jiceng.followers.projecting import ProjectionFollower
from jiceng.followers.reacting import Changes, ReactionFollower
from jiceng.followers.sources import (
    FeedSource,
    HttpFeedSource,
    LocalFeedSource,
    UpstreamUnavailable,
)
from jiceng.followers.status import FollowerStatus

__all__ = [
    "Changes",
    "FeedSource",
    "Follower",
    "FollowerStatus",
    "HttpFeedSource",
    "LocalFeedSource",
    "ProjectionFollower",
    "ReactionFollower",
    "UpstreamUnavailable",
]
