"""What the database asks to retry is retried inside the engine; the user never sees it."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from engine import Busy


def review_of(loop_eng, name: str):
    iid = loop_eng.start("review_loop", "amy", {"project_name": name})
    loop_eng.complete(next(t for t in loop_eng.tasks("amy") if t.instance_id == iid).id, "amy",
                      {"draft": {"text": "x"}})
    return iid, next(t for t in loop_eng.tasks("bob") if t.instance_id == iid)


def wait_until_blocked(outsider, seconds: float = 20) -> None:
    """Until some other PostgreSQL backend waits for a lock (the engine's completion)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if outsider.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                 "AND pid <> pg_backend_pid() AND datname = current_database()")).scalar():
            return
        time.sleep(0.05)
    raise AssertionError("the completion never waited for the lock")


def test_a_completion_caught_in_a_lock_cycle_is_run_again_and_lands(loop_eng, db_url):
    """PostgreSQL breaks a real deadlock by failing the completion (40P01); the engine runs it
    again. SQLite has no cycles: the completion queues behind the other writer."""
    iid, review = review_of(loop_eng, "Deadlock")
    outsider_engine = create_engine(db_url, isolation_level="AUTOCOMMIT" if db_url.startswith("sqlite") else None)
    result = {}
    completion = threading.Thread(target=lambda: result.update(
        next=loop_eng.complete(review.id, "bob", {"review": {"decision": "approve"}})))
    with outsider_engine.connect() as outsider:
        if loop_eng.db.dialect.name == "postgresql":
            outsider.execute(text("UPDATE tasks SET due_at = due_at WHERE id = :id"), {"id": review.id})
            completion.start()              # locks the instance, then waits for the task row we hold
            wait_until_blocked(outsider)
            outsider.execute(text("SELECT id FROM instances WHERE id = :id FOR UPDATE"), {"id": iid})
            outsider.rollback()             # PostgreSQL failed the completion to give us the row
        else:
            outsider.exec_driver_sql("BEGIN IMMEDIATE")
            completion.start()
            time.sleep(0.5)
            outsider.exec_driver_sql("ROLLBACK")
        completion.join(60)
    outsider_engine.dispose()
    view = loop_eng.instance(iid)
    assert result == {"next": []} and view.outcome == "established"
    assert [e.kind for e in view.history].count("completed") == 2


def busy_database_error(uow):
    """A write the real database refuses with "try again": PostgreSQL's serialization failure,
    SQLite's "database is locked" (another connection holds the write lock; no waiting)."""
    if uow.session.bind.dialect.name == "postgresql":
        uow.session.execute(text("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$"))
    conn = uow.session.connection(execution_options={"sqlite_begin": "DEFERRED"})
    conn.exec_driver_sql("PRAGMA busy_timeout=0")
    try:
        conn.exec_driver_sql("DELETE FROM drafts")
    finally:
        conn.exec_driver_sql("PRAGMA busy_timeout=30000")


def test_a_database_that_keeps_asking_to_retry_ends_in_busy_after_a_few_paced_attempts(eng, db_url):
    attempts = []

    def use_case(uow):
        attempts.append(time.monotonic())
        busy_database_error(uow)
    blocker = sqlite3.connect(db_url.removeprefix("sqlite:///")) if db_url.startswith("sqlite") else None
    if blocker is not None:
        blocker.isolation_level = None
        blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Busy):
            eng._write(use_case)
    finally:
        if blocker is not None:
            blocker.execute("ROLLBACK")
            blocker.close()
    assert len(attempts) == 8 and attempts[-1] > attempts[0]
