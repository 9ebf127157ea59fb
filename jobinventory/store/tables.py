"""The store's tables (SQLAlchemy Core): their names and columns are public.

Dashboards query them (see README, "Keeping history" and
../shared/CONTRACT.md): change a column only through a new migration.

- `jobs`: one row per job ever seen, keyed by (service, job_id): every Job
  field under its own name, plus first_seen_at, last_seen_at, gone_at (NULL
  while listed) and last_sync_id (the last sync that saw it).
- `job_changes`: append-only, one row per change (`new`, `status`, `gone`).
- `syncs`: one row per finished sync.
- `sync_streams`: every stream of every sync, with its state and error.
- `deliveries`: the notification outbox, one row per (change, target)
  (jobinventory.notify.outbox).
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from .records import JOB_COLUMNS
from .types import JSONDocument, UTCDateTime

__all__ = ["metadata", "jobs", "job_changes", "syncs", "sync_streams", "deliveries", "CHANGE_KINDS", "JOB_COLUMNS",
           "DELIVERY_STATES"]

#: The kinds of rows in job_changes.
CHANGE_KINDS = ("new", "status", "gone")
#: The states of a delivery: waiting, being sent (claimed by one process), accepted by its target.
DELIVERY_STATES = ("pending", "sending", "delivered")

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
})

syncs = Table(
    "syncs", metadata,
    Column("sync_id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("streams_answered", Integer, nullable=False),
    Column("streams_skipped", Integer, nullable=False),
    Column("streams_failed", Integer, nullable=False),
    Column("jobs_seen", Integer, nullable=False),
    Column("changes", Integer, nullable=False),
    Column("complete", Boolean, nullable=False),
)

jobs = Table(
    "jobs", metadata,
    Column("service", String, primary_key=True),
    Column("job_id", String, primary_key=True),
    Column("operation", String, nullable=False),
    Column("job_type", String, nullable=False),
    Column("arn", String),
    Column("name", String),
    Column("status", String, nullable=False),
    Column("raw_status", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Column("ended_at", UTCDateTime),
    Column("region", String),
    Column("account_id", String),
    Column("message", Text),
    Column("source", Text),
    Column("destination", Text),
    Column("details", JSONDocument, nullable=False),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("gone_at", UTCDateTime),
    Column("last_sync_id", Integer, ForeignKey("syncs.sync_id"), nullable=False),
    Index(None, "account_id", "region", "service", "operation"),
    Index(None, "created_at"),
)

job_changes = Table(
    "job_changes", metadata,
    Column("change_id", Integer, primary_key=True, autoincrement=True),
    Column("sync_id", Integer, ForeignKey("syncs.sync_id"), nullable=False),
    Column("observed_at", UTCDateTime, nullable=False),
    Column("service", String, nullable=False),
    Column("job_id", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("from_status", String),
    Column("to_status", String),
    Index(None, "sync_id"),
    Index(None, "observed_at"),
    Index(None, "service", "job_id"),
)

sync_streams = Table(
    "sync_streams", metadata,
    Column("sync_id", Integer, ForeignKey("syncs.sync_id"), nullable=False),
    Column("account_id", String),
    Column("region", String, nullable=False),
    Column("service", String, nullable=False),
    Column("operation", String, nullable=False),
    Column("state", String, nullable=False),
    Column("jobs", Integer, nullable=False),
    Column("error_kind", String),
    Column("error_message", Text),
    Index(None, "sync_id"),
)

deliveries = Table(
    "deliveries", metadata,
    Column("change_id", Integer, ForeignKey("job_changes.change_id"), primary_key=True),
    #: The target's key: `eventbridge:BUS`, `sns:ARN`, `jsonl:-`; a webhook as
    #: `webhook:HOST#digest` (its URL is a secret and is not stored).
    Column("target", String, primary_key=True),
    Column("state", String, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("delivered_at", UTCDateTime),
    #: When a sender claimed the row (state `sending`); a claim older than its lease is taken over.
    Column("claimed_at", UTCDateTime),
    #: The job's to_dict record when the change was recorded: what is sent, however late.
    Column("record", JSONDocument, nullable=False),
    Index(None, "target", "state", "change_id"),
)
