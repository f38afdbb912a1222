"""Bulk inserts through SQLAlchemy Core: executemany in batches (multi-row INSERTs on PostgreSQL),
in the order foreign keys need, and the id sequences moved past ids we chose ourselves."""
from __future__ import annotations

from sqlalchemy import func, select, text

from ..db.schema import Base

BATCH = 2000
# parents before children
ORDER = ("accounts", "account_revenues", "account_team", "competitors", "competitor_reps", "contacts",
         "contact_stage_changes", "activities", "instances", "tasks", "task_candidates", "audit_events",
         "audit_payloads", "audit_heads", "notifications")
NUMBERED = ("audit_events", "notifications", "activities", "contact_stage_changes", "competitor_reps")


def insert(conn, table_name: str, rows: list[dict]) -> None:
    table = Base.metadata.tables[table_name]
    for start in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[start:start + BATCH])


def insert_all(conn, tables: dict[str, list[dict]]) -> int:
    written = 0
    for name in ORDER:
        rows = tables.get(name)
        if rows:
            insert(conn, name, rows)
            written += len(rows)
    return written


def next_id(conn, table_name: str) -> int:
    table = Base.metadata.tables[table_name]
    return (conn.scalar(select(func.max(table.c.id))) or 0) + 1


def move_sequences(conn) -> None:
    """On PostgreSQL, serial ids continue after the ones we wrote."""
    if conn.dialect.name != "postgresql":
        return
    for name in NUMBERED:
        conn.execute(text("SELECT setval(pg_get_serial_sequence(:name, 'id'), :last)"),
                     {"name": name, "last": max(1, next_id(conn, name) - 1)})
