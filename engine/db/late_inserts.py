"""Rows a transaction only adds and never reads back, sent with its audit events at its end.

A step's notifications and the committee round it opens are read only by later transactions (the
outbox, the reports). Held on the session until the unit of work appends its audit events, they go
in with them (engine/auditlog.py): on PostgreSQL each table's rows as an INSERT in the WITH of the
events' one statement, so an approval sends two statements fewer; on SQLite, which has no INSERT
inside a WITH, one INSERT per table just before the events, as they went before.
"""
from __future__ import annotations

from sqlalchemy import Insert, Table, insert
from sqlalchemy.orm import Session

_KEY = "kamflow.late_inserts"
ROWS_PER_INSERT = 500           # a timer batch's many notices: well under PostgreSQL's 65,535 values


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


def take(session: Session) -> list[Insert]:
    """The rows still to send as INSERTs, one per table and set of keys (in the order first added, so
    rows referring to others follow them), at most ROWS_PER_INSERT rows each; the session holds
    them no more."""
    grouped: dict[tuple, list[dict]] = {}
    for table, rows in session.info.pop(_KEY, []):
        for row in rows:
            grouped.setdefault((table, tuple(row)), []).append(row)
    return [insert(table).values(rows[start:start + ROWS_PER_INSERT])
            for (table, _keys), rows in grouped.items() for start in range(0, len(rows), ROWS_PER_INSERT)]


def send(session: Session, inserts: list[Insert]) -> None:
    """Send them one by one (no audit event to ride with, or SQLite)."""
    for statement in inserts:
        session.execute(statement)
