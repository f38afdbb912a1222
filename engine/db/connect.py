"""Database engines for SQLite (embedded default) and PostgreSQL, and schema upgrades.

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
`BEGIN IMMEDIATE` so two writers queue instead of failing half-way with "locked"; on a database
file they queue first on a lock that wakes the next writer at once (sqlite_writers.py).
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

from . import read_ahead
from .idle_ping import ping_when_idle
from .pool import PoolSettings
from .sqlite_writers import connection_class

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_SECONDS = 30
_PG_MIGRATION_LOCK = 7_317_001   # any constant; all KAM Flow processes agree on it


def make_engine(url: str, pool: PoolSettings | None = None) -> Engine:
    """An engine for `url`; on PostgreSQL with `pool` (default: from the environment, see pool.py)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        settings = pool or PoolSettings.from_env()
        engine = create_engine(url, **settings.engine_arguments())
        ping_when_idle(engine, settings.ping_after)
        return engine
    arguments = {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
    if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        arguments["factory"] = connection_class(str(Path(parsed.database).resolve()), SQLITE_BUSY_SECONDS)
    engine = create_engine(url, connect_args=arguments)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None          # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        _use_wal(dbapi_conn, cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        if mode == "NONE":          # a reader of one statement (uow.py): SQLite runs it as its own
            return                  # transaction, and the ROLLBACK at its end is not sent either
        if mode == "DEFERRED":      # a reader's BEGIN takes no lock, so waits for nothing and is never
            conn.connection.dbapi_connection.execute("BEGIN DEFERRED")   # refused: sent as it is, ~13 µs
            return                  # sooner than through SQLAlchemy's statement path, on every read
        if mode == "OPTIMISTIC":                   # a writer that reads ahead (read_ahead.py)
            if read_ahead.begin(conn):
                return
            mode = "IMMEDIATE"
        writer = conn.connection.dbapi_connection if mode == "IMMEDIATE" else None
        if hasattr(writer, "take_turn"):
            writer.take_turn()                     # given back after COMMIT or ROLLBACK
        try:
            conn.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            if hasattr(writer, "end_turn"):
                writer.end_turn()
            raise

    @event.listens_for(engine, "before_cursor_execute")
    def _before_statement(conn, _cursor, statement, _parameters, _context, _executemany):
        read_ahead.before_statement(conn, statement)

    return engine


def _use_wal(dbapi_conn, cur) -> None:
    """Switch a new database file to WAL (a file once switched stays so). Connections of several
    processes starting on a fresh file at once switch one at a time, in turns: SQLite answers a
    concurrent switch "database is locked" at once, without waiting (1 start in 9 failed so)."""
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    turns = hasattr(dbapi_conn, "take_turn")
    if turns:
        dbapi_conn.take_turn()
    try:
        for attempt in range(50):
            try:
                cur.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.01 * (1 + attempt % 5))
    finally:
        if turns:
            dbapi_conn.end_turn()


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade_schema(engine: Engine) -> None:
    """Bring an empty or older database to the current schema; safe when many start at once.

    On PostgreSQL the statement, lock and idle time-outs a deployment sets for its role (docs/deploy.md)
    are lifted for this one transaction: a migration, or waiting for another process's, may be long."""
    cfg = alembic_config()
    with engine.begin() as conn:      # SQLite: BEGIN IMMEDIATE serialises concurrent upgrades
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            conn.exec_driver_sql("SET LOCAL lock_timeout = 0")
            conn.exec_driver_sql("SET LOCAL idle_in_transaction_session_timeout = 0")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
