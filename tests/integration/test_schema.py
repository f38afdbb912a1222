"""The Alembic migrations create exactly the tables the code maps, on both databases."""
from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, inspect
from sqlalchemy.schema import CreateIndex

from engine import Engine
from engine.db.schema import Base

SQLITE_ONLY = ("ix_cycle_steps_counts", "ix_cycle_projects_times")


def mapped_name(name, kind, parents) -> bool:
    """What the code maps; not the name search's own (made as SQL by migration 0019: the trigram
    indexes on PostgreSQL, the names table, the FTS5 table and its shadow tables on SQLite), nor
    the covering indexes of the kept cycle counts SQLite alone has (0039)."""
    return not (kind == "index" and (name.endswith("_trgm") or name in SQLITE_ONLY) or
                kind == "table" and name.startswith(("instances_search", "instance_names")))


def test_migrations_match_the_mapped_tables(db_url):
    eng = Engine(db_url)
    try:
        with eng.db.connect() as conn, warnings.catch_warnings():
            # SQLite's reflection skips indexes on expressions; the next test compares those
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": mapped_name})
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        eng.close()


def test_the_indexes_sqlite_cannot_reflect_are_made_as_mapped(tmp_path):
    eng = Engine(f"sqlite:///{tmp_path / 'kamflow.db'}")
    try:
        with eng.db.connect() as conn:
            made = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all())
        mapped = [i for t in Base.metadata.tables.values() for i in t.indexes
                  if any(not isinstance(e, Column) for e in i.expressions)]
        assert {i.name for i in mapped} >= {"ix_tasks_open_assignee", "ix_tasks_open_group"}
        for index in mapped:
            assert " ".join(made[index.name].split()) == " ".join(str(CreateIndex(index).compile(eng.db)).split())
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
