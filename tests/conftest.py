"""Shared fixtures: every integration test runs on real SQLite and real PostgreSQL.

PostgreSQL comes from KAMFLOW_TEST_POSTGRESQL_URL (set by .ci/run). Each test gets its
own schema there, so tests stay independent without re-creating the database; when the
suite runs in parallel (pytest-xdist, `make test`), each worker has its own database beside
it, so a test that watches the server (locks waited on) sees only its own worker. Under
CI=true a missing PostgreSQL fails the run instead of skipping it.
"""
from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _worker_database(url: str) -> str:
    """The URL of this xdist worker's own database (made on first use), or `url` itself."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


PG_URL = _worker_database(os.environ.get("KAMFLOW_TEST_POSTGRESQL_URL", ""))


def pytest_sessionstart(session):
    if IN_CI and not PG_URL:
        pytest.exit("CI=true but KAMFLOW_TEST_POSTGRESQL_URL is not set: PostgreSQL tests must run", 3)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kamflow.db'}"
        return
    with pg_schema_url() as url:
        yield url


@contextmanager
def pg_schema_url():
    """The URL of a new, empty schema of the test PostgreSQL database (dropped afterwards);
    skips the test when there is none (CI always has one)."""
    if not PG_URL:
        pytest.skip("KAMFLOW_TEST_POSTGRESQL_URL not set (CI sets it; CI never skips)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def copy_database(source: Path, target: Path) -> None:
    """SQLite's own online backup: a consistent copy whatever the journal mode left beside it."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///` URL; None for any other database."""
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
