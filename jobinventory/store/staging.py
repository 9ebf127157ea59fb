"""The listed jobs of a sync, written to the database while they are collected, not held in memory.

A sync first writes every listed job, a batch at a time, into a temporary
table of its own connection (`Stage`): TEMP tables are private to the
connection and outside the store's tables, so staging takes no write lock
and a sync killed meanwhile leaves nothing behind. The locked transaction
then compares and writes with set-based SQL (sync.py), so memory follows
a batch, not the inventory. A job listed twice keeps its first listing,
as the comparison always did.

SQLite keeps the temporary tables in a temporary file (temp_store FILE),
with a small page cache of their own; PostgreSQL in the session's temporary
schema, filled with COPY.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import itertools
import json
from typing import Any, Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.engine import Connection

from ..model import Job
from .records import JOB_COLUMNS
from .tables import jobs

__all__ = ["Stage", "staged", "BATCH"]

#: Jobs written to the stage per statement (and per transaction).
BATCH = 2000

_UTC = _dt.timezone.utc
_meta = MetaData()
#: The listed jobs: `pos` their listing order (the order of their changes when it is meaningful).
#: Appended without a key; its index is built once the listing is over (`Stage.close`).
stage = Table("jobinventory_stage", _meta, Column("pos", Integer, nullable=False),
              *[Column(name, jobs.c[name].type) for name in JOB_COLUMNS], prefixes=["TEMPORARY"])
#: The streams answered whole (an unfiltered sync): only their stored jobs can be gone.
whole_streams = Table("jobinventory_whole_streams", _meta, Column("account_id", String),
                      Column("region", String), Column("service", String, nullable=False),
                      Column("operation", String, nullable=False), prefixes=["TEMPORARY"])
_TABLES = (stage, whole_streams)
assert JOB_COLUMNS[:12] == ("service", "operation", "job_type", "job_id", "arn", "name", "status", "raw_status",
                           "created_at", "updated_at", "ended_at", "region"), "the stage row's order"


def _sqlite_time(value: _dt.datetime) -> str:
    """UTCDateTime's text on SQLite ('2026-01-02 03:04:05.000000'), a quarter of its processors' cost."""
    if value.tzinfo is not _UTC:
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to a UTC column")
        value = value.astimezone(_UTC)
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (value.year, value.month, value.day, value.hour, value.minute,
                                                   value.second, value.microsecond)


def _converter(conn: Connection) -> Callable[[int, Job], Tuple[Any, ...]]:
    """(pos, job) -> the stage row, each value as the `jobs` column's type binds it."""
    dialect = conn.dialect
    if dialect.name == "postgresql":
        def text_time(value: Any) -> Any:
            return value
        dumps: Callable[[Any], Any] = json.dumps
    else:
        text_time = _sqlite_time
        dumps = jobs.c.details.type._cached_bind_processor(dialect)

    def row(pos: int, job: Job) -> Tuple[Any, ...]:
        created, updated, ended = job.created_at, job.updated_at, job.ended_at
        return (pos, job.service, job.operation, job.job_type, job.job_id, job.arn, job.name, job.status.value,
                job.raw_status, text_time(created), None if updated is None else text_time(updated),
                None if ended is None else text_time(ended), job.region, job.account_id, job.message,
                job.source, job.destination, dumps(job.details))

    return row


class Stage:
    """The temporary tables of one sync on one connection; `add` writes listed jobs in batches."""

    def __init__(self, conn: Connection, ordered: bool) -> None:
        self.conn = conn
        #: The jobs came in a meaningful order (an Inventory's): their changes keep it.
        self.ordered = ordered
        self.jobs = 0
        self._row = _converter(conn)
        self._pos = itertools.count()

    def add(self, listed: Iterable[Job]) -> int:
        """Write `listed` to the stage, a batch per transaction; return the jobs written (duplicates too)."""
        row, pos = self._row, self._pos
        iterator = iter(listed)
        while True:
            batch = [row(next(pos), job) for job in itertools.islice(iterator, BATCH)]
            if not batch:
                return self.jobs
            with self.conn.begin():
                self._write(batch)
            self.jobs += len(batch)

    def _write(self, rows: List[Tuple[Any, ...]]) -> None:
        conn = self.conn
        names = ", ".join(("pos",) + JOB_COLUMNS)
        if conn.dialect.name == "postgresql":
            with conn.connection.driver_connection.cursor() as cursor:
                with cursor.copy(f"COPY {stage.name} ({names}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
            return
        marks = ", ".join("?" * (len(JOB_COLUMNS) + 1))
        conn.exec_driver_sql(f"INSERT INTO {stage.name} ({names}) VALUES ({marks})", rows)

    def close(self) -> None:
        """The listing is over: index the stage by key and keep each job's first listing only."""
        with self.conn.begin():
            self.conn.exec_driver_sql(f"CREATE INDEX {stage.name}_key ON {stage.name} (service, job_id)")
            twice = (select(stage.c.service).group_by(stage.c.service, stage.c.job_id)
                     .having(func.count() > 1).limit(1))
            if self.conn.execute(twice).first() is not None:
                first = select(func.min(stage.c.pos)).group_by(stage.c.service, stage.c.job_id)
                self.conn.execute(stage.delete().where(stage.c.pos.not_in(first)))
            if self.conn.dialect.name == "postgresql":
                self.conn.exec_driver_sql(f"ANALYZE {stage.name}")  # temporary tables are never auto-analyzed

    def add_whole_streams(self, streams: Sequence[Tuple[Optional[str], Optional[str], str, str]]) -> None:
        """The streams whose stored jobs, when not listed, are gone (in the caller's transaction)."""
        if streams:
            self.conn.execute(insert(whole_streams), [
                {"account_id": a, "region": r, "service": s, "operation": o} for a, r, s, o in streams])


@contextlib.contextmanager
def staged(conn: Connection, *, ordered: bool) -> Iterator[Stage]:
    """The stage's temporary tables on `conn` (outside any transaction), dropped on the way out."""
    with conn.begin():
        _drop(conn)
        for table in _TABLES:
            table.create(conn)
    try:
        yield Stage(conn, ordered)
    finally:
        if conn.in_transaction():
            conn.rollback()
        with conn.begin():
            _drop(conn)


def _drop(conn: Connection) -> None:
    for table in _TABLES:  # only the temporary tables have these names
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
