"""The feed: a service's event log over HTTP, with long-poll."""
