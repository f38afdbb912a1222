"""SQLite's writers take turns through a lock beside the database file (engine/db/sqlite_writers.py):
held from BEGIN IMMEDIATE to COMMIT or ROLLBACK, never by readers, taken afresh in a forked
process. SQLite only: PostgreSQL's writers wait on row locks, which wake them themselves."""
from __future__ import annotations

import multiprocessing
import queue
import threading

import pytest
from sqlalchemy import text


from ..flocks import free_to_another_holder


def test_a_write_transaction_holds_the_writers_lock_until_it_commits(sqlite_db):
    db, lock = sqlite_db
    with db.begin() as conn:
        conn.execute(text("UPDATE counter SET n = n + 1"))
        assert not free_to_another_holder(lock)
    assert free_to_another_holder(lock)


def test_a_rolled_back_write_gives_the_lock_back(sqlite_db):
    db, lock = sqlite_db
    with pytest.raises(ZeroDivisionError):
        with db.begin() as conn:
            conn.execute(text("UPDATE counter SET n = n + 1"))
            1 / 0
    assert free_to_another_holder(lock)
    with db.connect() as conn:
        assert conn.scalar(text("SELECT n FROM counter")) == 0


def test_a_reader_does_not_take_the_lock(sqlite_db):
    db, lock = sqlite_db
    with db.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        with conn.begin():
            assert conn.scalar(text("SELECT n FROM counter")) == 0
            assert free_to_another_holder(lock)


def test_many_threads_writing_at_once_all_get_their_turn(sqlite_db):
    db, lock = sqlite_db
    errors = []

    def add(times: int):
        try:
            for _ in range(times):
                with db.begin() as conn:
                    conn.execute(text("UPDATE counter SET n = n + 1"))
        except Exception as exc:   # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
    threads = [threading.Thread(target=add, args=(25,)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with db.connect() as conn:
        assert conn.scalar(text("SELECT n FROM counter")) == 150
    assert free_to_another_holder(lock)


def _writers_of(db):
    with db.connect() as conn:
        return type(conn.connection.dbapi_connection).writers


def _child(db, writing, written, answers):
    """A forked process (as gunicorn forks its workers): it drops the connections it inherited, as
    SQLAlchemy asks of a forked child, and asks for a turn while the parent writes and after."""
    db.dispose(close=False)
    writers = _writers_of(db)
    writers.timeout = 0.3
    writing.wait(30)
    answers.put(writers.acquire())
    written.wait(30)
    had = writers.acquire()
    answers.put(had)
    if had:
        writers.release()
    with db.begin() as conn:
        conn.execute(text("UPDATE counter SET n = n + 10"))


def test_a_forked_process_takes_its_turn_on_a_lock_of_its_own(sqlite_db):
    db, lock = sqlite_db
    _writers_of(db).acquire() and _writers_of(db).release()     # the parent's lock opened before the fork
    context = multiprocessing.get_context("fork")
    writing, written, answers = context.Event(), context.Event(), context.Queue()
    child = context.Process(target=_child, args=(db, writing, written, answers))
    child.start()
    with db.begin() as conn:
        conn.execute(text("UPDATE counter SET n = n + 1"))
        writing.set()
        assert answers.get(timeout=30) is False      # not while the parent writes
    written.set()
    assert answers.get(timeout=30) is True
    child.join(30)
    assert child.exitcode == 0
    with db.connect() as conn:
        assert conn.scalar(text("SELECT n FROM counter")) == 11


def test_engines_starting_at_once_on_fresh_files_all_come_up_every_time(tmp_path):
    """Switching a new file to WAL at once from several connections: SQLite refuses all but one
    without waiting, so before the switch took turns about one start in nine failed."""
    from engine import Engine
    for n in range(20):
        url = f"sqlite:///{tmp_path / f'fresh{n}.db'}"
        ready, results = threading.Barrier(4), []

        def start():
            ready.wait()
            try:
                results.append(Engine(url))
            except Exception as exc:   # noqa: BLE001 - reported by the assertion below
                results.append(exc)
        threads = [threading.Thread(target=start) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        failed = [r for r in results if isinstance(r, Exception)]
        for r in results:
            if not isinstance(r, Exception):
                r.close()
        assert failed == [], f"start {n}: {failed}"
