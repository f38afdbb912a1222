"""Which database failures mean "try again", and how long to wait before trying.

PostgreSQL ends one transaction of a deadlock (SQLSTATE 40P01) or of a serialization
failure (40001) and says the work may simply be repeated; SQLite says "database is
locked" (or busy) when its busy timeout ran out. Anything else is a real failure.
"""
from __future__ import annotations

import random
import sqlite3
import time

from sqlalchemy.exc import DBAPIError

RETRY_SQLSTATES = frozenset({"40P01", "40001"})
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def is_transient(exc: BaseException) -> bool:
    """True when the database asks for the transaction to be run again."""
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return False
    if getattr(exc.orig, "sqlstate", None) in RETRY_SQLSTATES:
        return True
    return isinstance(exc.orig, sqlite3.OperationalError) and str(exc.orig).lower().startswith(_SQLITE_BUSY)


def pause_before_retry(attempt: int, base: float = 0.01, cap: float = 0.5) -> None:
    """Sleep a random share of an exponentially growing window ("full jitter"), so two
    transactions that just collided do not collide again at the same instant."""
    time.sleep(random.uniform(0, min(cap, base * 2 ** attempt)))
