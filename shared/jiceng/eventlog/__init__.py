"""The event log: eventsourcing applications whose every event says who, why and by which rule."""

from jiceng.eventlog.application import EventLog, UnattributedEventError
from jiceng.eventlog.meta import EventMeta
from jiceng.eventlog.records import FeedEvent
from jiceng.eventlog.storage import Storage

__all__ = ["EventLog", "EventMeta", "FeedEvent", "Storage", "UnattributedEventError"]
