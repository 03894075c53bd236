"""Jiceng (基层) kernel: what every service shares.

Settings, the event log over eventsourcing, the HTTP feed and its consumers, read models,
HTTP conventions, authentication and the organisation tree each service keeps a copy of.
"""
