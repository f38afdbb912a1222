"""Times as the database keeps them: naive UTC in the column, aware UTC in Python."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on both databases (SQLite would otherwise drop the zone).

    The zone is set and dropped with `datetime.combine`, not `datetime.replace`: on Python 3.11
    `replace(tzinfo=...)` takes ~0.9 µs, eight times as long, and a page of the inbox decodes
    42 times (docs/benchmarks.md, the lists)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC time")
        value = value.astimezone(timezone.utc)
        return datetime.combine(value.date(), value.time())

    def process_result_value(self, value, dialect):
        return datetime.combine(value.date(), value.time(), timezone.utc) if value is not None else None
