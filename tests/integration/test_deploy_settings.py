"""Settings docs/deploy.md recommends on PostgreSQL do not get in the way of starting up."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from engine import Engine
from engine.db.connect import _PG_MIGRATION_LOCK, make_engine
from engine.db.readiness import readiness


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_process_waits_out_a_long_migration_elsewhere_despite_the_roles_statement_timeout(db_url):
    """With `statement_timeout` and `lock_timeout` on the role (docs/deploy.md), a process starting
    while another one migrates waits for it rather than failing when the time-out runs out."""
    strict = db_url.replace("options=", "options=-cstatement_timeout%3D300%20-clock_timeout%3D300%20")
    other = create_engine(db_url)
    holding, release = threading.Event(), threading.Event()

    def migrate_for_a_while():
        with other.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            holding.set()
            release.wait(10)
    migrating = threading.Thread(target=migrate_for_a_while)
    migrating.start()
    try:
        assert holding.wait(10)
        threading.Timer(1.5, release.set).start()        # five times the statement time-out
        Engine(strict).close()
    finally:
        release.set()
        migrating.join()
        other.dispose()
    db = make_engine(strict)
    try:
        assert readiness(db).ready
        with db.connect() as conn:
            assert conn.scalar(text("SHOW statement_timeout")) == "300ms"    # the role's setting still holds
    finally:
        db.dispose()
