"""One-time set-up work (demo data) done by exactly one of many processes starting at once.

PostgreSQL: a session advisory lock. SQLite (one host by nature): an exclusive file lock
beside the database file. An in-memory database belongs to one process: nothing to lock.
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

_PG_SETUP_LOCK = 7_317_002     # beside connect._PG_MIGRATION_LOCK; every KAM Flow process agrees


@contextmanager
def exclusive_setup(db: Engine):
    """Hold the set-up lock for the `with` block; others wait until it ends."""
    if db.dialect.name == "postgresql":
        with db.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_SETUP_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_SETUP_LOCK})
                conn.commit()
        return
    database = db.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(Path(database).with_name(Path(database).name + ".setup-lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
