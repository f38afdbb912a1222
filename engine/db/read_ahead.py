"""Optimistic write transactions on SQLite: read and compute first, take the writers' turn at the first write.

SQLite lets one writer in at a time, and a completion held that turn from its first read to its
COMMIT: loading the workflow, checking the form, running SpiffWorkflow. With 4 clients the turn was
held 13.9 ms a completion and was busy 95% of the time (docs/benchmarks.md), so completions on
different projects queued behind each other's pure work.

A unit of work opened with `optimistic=True` begins as a reader instead, without a transaction:
each SELECT is one of its own (SQLite's autocommit) and sees what was committed when it ran, as every
statement does on PostgreSQL at READ COMMITTED; no BEGIN or COMMIT is sent for the read. Just before
its first statement that is not a SELECT it takes its turn (BEGIN IMMEDIATE) and checks that what it
relied on still reads the same: the rows it locked name themselves as *witnesses* (`witness`, called
by db/locks.py) with what they read. If one reads differently, StaleDataError, and the facade runs the
use case again from the start, as it does when an UPDATE's version check finds another version.

Guarded so: every row with a version column (the ORM's `WHERE version = N`), every locked instance
and task that names itself a witness, and what a completion's own writes guard (db/locks.py
`lock_task_and_open_rows`: the instance's version, the head of its audit stream). Other facts read
before the turn (the directory, workspace rules checked before completing) may be as old as the
unit of work's start: as on PostgreSQL, where they are read at READ COMMITTED without row locks.
PostgreSQL ignores all of this: its row locks already let writers of different instances run at once.
"""
from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


def begin(conn) -> bool:
    """Begin `conn`'s transaction as a reader that takes its writers' turn later (nothing is sent
    until then); False when the connection has no turns to take (an in-memory database), so the
    caller begins as a writer."""
    raw = conn.connection.dbapi_connection
    if not hasattr(raw, "take_turn"):
        return False
    raw.reading_ahead, raw.witnesses = True, []
    return True


def witness(session: Session, sql: str, params: tuple, seen: tuple) -> None:
    """In a transaction still reading ahead: `seen` is what the row `sql` reads was when it was
    loaded; at the turn it must read the same, or the transaction runs again."""
    raw = session.connection().connection.dbapi_connection
    if getattr(raw, "reading_ahead", False):
        raw.witnesses.append((sql, params, [seen]))


def before_statement(conn, statement: str) -> None:
    """Take the turn before the first statement that may write (anything but a SELECT: a SAVEPOINT
    too, which must not straddle the swap of transactions)."""
    raw = conn.connection.dbapi_connection
    if getattr(raw, "reading_ahead", False) and statement.lstrip()[:6].upper() != "SELECT":
        _take_turn(conn, raw)


def _take_turn(conn, raw) -> None:
    """Statements go through `conn` (seen by its events, as tests/statements.py counts them)."""
    witnesses = raw.witnesses
    raw.reading_ahead, raw.witnesses = False, []      # (a COMMIT, ROLLBACK or close resets them too)
    raw.take_turn()
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        raw.end_turn()
        raise
    for sql, params, seen in witnesses:
        if [tuple(row) for row in conn.exec_driver_sql(sql, params)] != seen:
            raise StaleDataError("a row this step read was changed by another writer before its turn; "
                                 "the step runs again")
