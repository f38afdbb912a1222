"""A pooled PostgreSQL connection is tested before use only after sitting idle (engine/db/idle_ping.py):
a busy server sends no ping, and a connection the server dropped while idle is replaced before
any request sees it."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from engine.db.connect import make_engine
from engine.db.pool import PoolSettings

from ..conftest import pg_schema_url
from ..statements import counted


@pytest.fixture
def pg_url():
    with pg_schema_url() as url:
        yield url


def _backend_pid(db) -> int:
    with db.connect() as conn:
        return conn.scalar(text("SELECT pg_backend_pid()"))


def _terminate(url: str, pid: int) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def test_a_connection_back_from_use_moments_ago_is_used_without_a_ping(pg_url):
    db = make_engine(pg_url, PoolSettings(size=1, max_overflow=0, ping_after=60))
    try:
        _backend_pid(db)
        with counted(db) as seen:
            for _ in range(3):
                with db.connect() as conn:
                    conn.execute(text("SELECT 1"))
        assert not any(s.startswith("PING") for s in seen.statements), seen.report()
    finally:
        db.dispose()


def test_a_connection_the_server_dropped_while_idle_is_replaced_before_use(pg_url):
    db = make_engine(pg_url, PoolSettings(size=1, max_overflow=0, ping_after=0.2))
    try:
        first = _backend_pid(db)
        _terminate(pg_url, first)
        time.sleep(0.3)
        with counted(db) as seen:
            second = _backend_pid(db)              # no error: the dead connection never reached the caller
        assert second != first
        assert seen.statements[0].startswith("PING"), seen.report()
    finally:
        db.dispose()


def test_without_the_idle_ping_the_same_dropped_connection_would_have_failed(pg_url):
    """The test above proves something: a connection killed and used at once (idle less than
    `ping_after`) is not tested, and the request that meets it fails."""
    db = make_engine(pg_url, PoolSettings(size=1, max_overflow=0, ping_after=60))
    try:
        _terminate(pg_url, _backend_pid(db))
        with pytest.raises(Exception, match="terminat|closed|server"):
            _backend_pid(db)
        assert _backend_pid(db)                     # the pool was invalidated: the next checkout reconnects
    finally:
        db.dispose()
