"""The Alembic migrations create exactly the tables the code maps, on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from engine import Engine
from engine.db.schema import Base


def test_migrations_match_the_mapped_tables(db_url):
    eng = Engine(db_url)
    try:
        with eng.db.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
    finally:
        eng.close()


def test_sqlite_runs_in_wal_mode(tmp_path):
    eng = Engine(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with eng.db.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert "alembic_version" in inspect(eng.db).get_table_names()
    finally:
        eng.close()
