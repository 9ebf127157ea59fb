"""Column types that behave the same on SQLite and PostgreSQL.

`UTCDateTime`: aware UTC datetimes in and out. PostgreSQL keeps them as
`timestamp with time zone`; SQLite as ISO text in UTC ('2026-01-02
03:04:05.000000'), which sorts and works with SQLite's date functions.
`JSONDocument`: JSON text on SQLite, `jsonb` on PostgreSQL.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Optional

from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

__all__ = ["UTCDateTime", "JSONDocument"]

UTC = _dt.timezone.utc


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime, stored as UTC on every dialect."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[_dt.datetime], dialect: Any) -> Optional[_dt.datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to a UTC column")
        if value.utcoffset():
            value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Optional[_dt.datetime], dialect: Any) -> Optional[_dt.datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        if value.tzinfo is not UTC:
            return value.astimezone(UTC)
        return value


JSONDocument = JSON().with_variant(JSONB(), "postgresql")
