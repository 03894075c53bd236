"""Tables every service has: consumer positions, dead letters, import jobs."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

kernel_metadata = MetaData()

#: Where each consumer is in its upstream log; written in the same transaction as its effects.
consumer_positions = Table(
    "consumer_positions",
    kernel_metadata,
    Column("name", String(100), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("projection_version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

#: Events whose handler kept failing; the consumer recorded them here and moved on.
dead_letters = Table(
    "dead_letters",
    kernel_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consumer", String(100), nullable=False, index=True),
    Column("event_id", BigInteger, nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("stream_id", String(64), nullable=False),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("event", JSON, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("consumer", "event_id", name="uq_dead_letters_consumer_event"),
)

#: Spreadsheet imports run as jobs (导入任务): their state, progress and report. The file is
#: never stored: only its name, size and digest; the report masks personal data.
import_jobs = Table(
    "import_jobs",
    kernel_metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("state", String(16), nullable=False),
    Column("dry_run", Integer, nullable=False),
    Column("accept_valid", Integer, nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("actor", String(300), nullable=False),
    Column("scope_org", String(36), nullable=True),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=True),
    Column("summary", JSON, nullable=True),
    Column("problems", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
