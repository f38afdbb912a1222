"""Count what a piece of code sends to the database: statements and transactions; or keep
the statements themselves with their values (`sent`), to read or EXPLAIN afterwards.

    with counted(eng.db) as seen:
        client.post(...)
    assert seen.total <= 20 and seen.transactions <= 2, seen.report()

A transaction counts its BEGIN and its COMMIT (or ROLLBACK) once each, on both databases
(SQLite's explicit `BEGIN IMMEDIATE` is that BEGIN, not another statement; a SQLite transaction
that reads ahead of its writers' turn, engine/db/read_ahead.py, sends its reads without one and
begins at its turn, so it is counted from there, and not at all if it never takes one; a statement
sent without a transaction is one of its own, and not counted as one); a PostgreSQL connection tested at checkout
(engine/db/idle_ping.py) counts its ping; a batched insert
(executemany, or one multi-row INSERT) counts once, as the database receives it once.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine

from engine.db.idle_ping import PINGED


@dataclass
class Seen:
    statements: list[str] = field(default_factory=list)   # in order, BEGIN/COMMIT/ROLLBACK included
    transactions: int = 0

    @property
    def total(self) -> int:
        return len(self.statements)

    def count(self, prefix: str) -> int:
        """How many statements start with `prefix` (e.g. "SELECT users", "INSERT INTO tasks")."""
        return sum(1 for s in self.statements if s.startswith(prefix))

    def report(self) -> str:
        return f"{self.total} statements in {self.transactions} transactions:\n  " + "\n  ".join(self.statements)


def _first_words(statement: str) -> str:
    return " ".join(statement.split())[:160]


_READING_AHEAD = "tests.statements.reading_ahead"


def _in_transaction(conn) -> bool:
    """False for a connection that sends its statements without BEGIN, COMMIT or ROLLBACK."""
    options = conn.get_execution_options()
    return options.get("sqlite_begin") != "NONE" and options.get("isolation_level") != "AUTOCOMMIT"


@contextmanager
def counted(db: Engine):
    """Record every statement and transaction `db` (a SQLAlchemy engine) runs inside the block."""
    seen = Seen()

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        words = statement.strip().upper()
        if words.startswith("BEGIN") and conn.info.pop(_READING_AHEAD, False):     # the turn after a read ahead
            count_begin()
        elif not words.startswith("BEGIN"):                       # SQLite's own BEGIN: counted below
            seen.statements.append(_first_words(statement))

    def count_begin():
        seen.transactions += 1
        seen.statements.append("BEGIN")

    def on_begin(conn):
        if getattr(conn.connection.dbapi_connection, "reading_ahead", False):
            conn.info[_READING_AHEAD] = True            # nothing sent yet: counted at its turn, if any
        elif _in_transaction(conn):
            count_begin()

    def on_commit(conn):
        if _in_transaction(conn) and not conn.info.pop(_READING_AHEAD, False):
            seen.statements.append("COMMIT")

    def on_rollback(conn):
        if _in_transaction(conn) and not conn.info.pop(_READING_AHEAD, False):
            seen.statements.append("ROLLBACK")

    def on_checkout(_dbapi_connection, record, _proxy):     # after engine/db/idle_ping.py's own listener
        if record.info.get(PINGED):
            seen.statements.append("PING (a pooled connection idle long enough to be tested)")

    hooks = [("before_cursor_execute", on_execute), ("begin", on_begin), ("commit", on_commit),
             ("rollback", on_rollback), ("checkout", on_checkout)]
    for name, hook in hooks:
        event.listen(db, name, hook)
    try:
        yield seen
    finally:
        for name, hook in hooks:
            event.remove(db, name, hook)


@contextmanager
def sent(db: Engine, selects_only: bool = False):
    """[(statement, parameters)] of what `db` runs inside the block, as sent (SELECTs only, if asked)."""
    seen: list[tuple] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if not selects_only or statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))
    event.listen(db, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(db, "before_cursor_execute", keep)
