"""Rows a transaction only adds and never reads back, sent with its audit events at its end.

A step's notifications and the committee round it opens are read only by later transactions (the
outbox, the reports). Held on the session until the unit of work appends its audit events, they go
in with them (audit_rows.py): on PostgreSQL each table's rows as an INSERT in the WITH of the events'
one statement; on SQLite, which has no INSERT inside a WITH, in the events' one batched INSERT into
the view `held_rows` (held_rows.py). Without events to ride with, one batched INSERT per table.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

_KEY = "kamflow.late_inserts"


class Batch(NamedTuple):
    """Rows of one table with the same keys: one INSERT."""
    table: Table
    keys: tuple[str, ...]
    rows: list[dict]


def add(session: Session, table: Table, rows: list[dict]) -> None:
    """Insert `rows` into `table` when the unit of work commits; a column's constant default fills a
    key a row leaves out (an INSERT inside a WITH gets no Python defaults)."""
    if rows:
        defaults = {c.name: c.default.arg for c in table.columns if c.default is not None and c.default.is_scalar}
        session.info.setdefault(_KEY, []).append((table, [{**defaults, **row} for row in rows]))


def count(session: Session) -> int:
    return len(session.info.get(_KEY, ()))


def discard(session: Session, keep: int = 0) -> None:
    """Drop the rows added after the first `keep` calls of `add` (a savepoint that failed)."""
    del session.info.setdefault(_KEY, [])[keep:]


def take(session: Session) -> list[Batch]:
    """The rows still to send, one batch per table and set of keys (in the order first added, so
    rows referring to others follow them); the session holds them no more."""
    grouped: dict[tuple, list[dict]] = {}
    for table, rows in session.info.pop(_KEY, []):
        for row in rows:
            grouped.setdefault((table, tuple(row)), []).append(row)
    return [Batch(table, keys, rows) for (table, keys), rows in grouped.items()]


def send(session: Session, batches: list[Batch]) -> None:
    """Send them one batch (executemany) each (no audit event to ride with, or SQLite)."""
    for batch in batches:
        session.execute(insert(batch.table), batch.rows)
