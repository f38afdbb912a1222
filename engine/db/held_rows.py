"""On SQLite, the rows a step adds at its end go in with one statement: a batched INSERT into the view
`held_rows` (migration 0047), a row per table carrying that table's rows as a JSON array, which the
view's triggers spread over the table.

Notifications, a committee round, the audit events and their payloads are read only by later
transactions (late_inserts.py). PostgreSQL takes them in the WITH of one statement (auditlog.py,
json_rows.py); SQLite has no INSERT inside a WITH and took them as one statement each. Each value is
what SQLAlchemy would bind for its column on SQLite (times as its text, JSON as its text), so the rows
read back exactly as if the ORM had inserted them.
"""
from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import Table, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

# the tables the view takes, and the columns its triggers fill (0047; a test compares them with the tables)
TARGETS = ("notifications", "committee_rounds", "audit_events")
PAYLOAD = "payload"             # an audit event's payload, for `audit_payloads`, under this key
_INSERT = text("INSERT INTO held_rows (target, rows) VALUES (:target, :rows)")


@lru_cache(maxsize=32)
def _encoders(dialect: Dialect, table: Table) -> tuple:
    """Per column of `table` but its id: its name, how SQLAlchemy binds its values, and its default
    (what a row that does not name the column gets, as the ORM would give it; None: NULL)."""
    out = []
    for column in table.columns:
        if column.name == "id":
            continue
        default = column.default
        if default is None:
            given = None
        elif default.is_callable:
            given = default.arg                       # (SQLAlchemy's wrapper takes a context; none needed)
        else:
            given = (lambda value: lambda _context: value)(default.arg)
        out.append((column.name, column.type.dialect_impl(dialect).bind_processor(dialect), given))
    return tuple(out)


def encode(dialect: Dialect, table: Table, rows: list[dict], payload_type=None) -> str:
    """`rows` of `table` as the JSON array the view's trigger reads (with each row's `PAYLOAD`, bound
    as `payload_type` binds it, for audit events)."""
    encoders = _encoders(dialect, table)
    payload = payload_type.dialect_impl(dialect).bind_processor(dialect) if payload_type is not None else None
    out = []
    for row in rows:
        item = {}
        for name, process, default in encoders:
            value = row[name] if name in row else default(None) if default is not None else None
            item[name] = process(value) if process is not None and value is not None else value
        if payload_type is not None and row.get(PAYLOAD) is not None:
            item[PAYLOAD] = payload(row[PAYLOAD]) if payload is not None else row[PAYLOAD]
        out.append(item)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def send(session: Session, held: list[tuple[str, str]]) -> None:
    """One batched INSERT of (table name, encoded rows) pairs, in order."""
    if held:
        session.execute(_INSERT, [{"target": target, "rows": rows} for target, rows in held])
