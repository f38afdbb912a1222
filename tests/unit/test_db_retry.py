"""Which database errors the engine runs again: only those the database says to retry."""
import sqlite3

from psycopg import errors as pg
from sqlalchemy.exc import IntegrityError, OperationalError

from engine.db.retry import is_transient


def test_deadlocks_serialization_failures_and_a_busy_sqlite_are_transient():
    assert is_transient(OperationalError("x", {}, pg.DeadlockDetected("deadlock detected")))
    assert is_transient(OperationalError("x", {}, pg.SerializationFailure("could not serialize")))
    assert is_transient(OperationalError("x", {}, sqlite3.OperationalError("database is locked")))


def test_other_database_errors_are_not_retried():
    assert not is_transient(OperationalError("x", {}, pg.AdminShutdown("terminating connection")))
    assert not is_transient(IntegrityError("x", {}, pg.UniqueViolation("duplicate key")))
    assert not is_transient(OperationalError("x", {}, sqlite3.OperationalError("no such table: t")))
    assert not is_transient(ValueError("database is locked"))
