"""The lock SQLite's writers take turns through (engine/db/sqlite_writers.py), on a plain file."""
from __future__ import annotations

import fcntl
import os
import threading
import time

from engine.db.sqlite_writers import WritersLock

from ..flocks import free_to_another_holder


def test_a_held_lock_keeps_other_processes_out_until_it_is_released(tmp_path):
    lock = WritersLock(str(tmp_path / "db-writers"), timeout=1)
    assert lock.acquire()
    assert not free_to_another_holder(tmp_path / "db-writers")
    lock.release()
    assert free_to_another_holder(tmp_path / "db-writers")


def test_a_second_thread_waits_for_its_turn_and_then_has_it(tmp_path):
    lock = WritersLock(str(tmp_path / "db-writers"), timeout=5)
    assert lock.acquire()
    order, started = [], threading.Event()

    def second():
        started.set()
        assert lock.acquire()
        order.append("second")
        lock.release()
    thread = threading.Thread(target=second)
    thread.start()
    started.wait()
    order.append("first")
    lock.release()
    thread.join(5)
    assert order == ["first", "second"]


def test_the_thread_that_holds_it_is_not_made_to_wait_for_itself(tmp_path):
    lock = WritersLock(str(tmp_path / "db-writers"), timeout=30)
    assert lock.acquire()
    assert lock.acquire() is False          # at once: a second connection of this thread, SQLite decides
    lock.release()


def test_a_writer_that_cannot_have_it_in_time_goes_on_without_it(tmp_path):
    path = tmp_path / "db-writers"
    path.touch()
    fd = os.open(path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)          # another process's turn, never given back
    try:
        assert WritersLock(str(path), timeout=0.05).acquire() is False
    finally:
        os.close(fd)


def test_a_process_taking_the_lock_again_and_again_lets_a_waiting_one_in_first(tmp_path):
    """A timer worker's back-to-back batches against one web request: the request gets the next turn."""
    path = str(tmp_path / "db-writers")
    worker, web = WritersLock(path, timeout=5), WritersLock(path, timeout=5)   # two descriptors: two processes
    assert worker.acquire()
    served = threading.Event()

    def one_request():
        assert web.acquire()
        served.set()
        web.release()
    thread = threading.Thread(target=one_request)
    thread.start()
    while not worker._others_wait():            # the request is waiting now
        time.sleep(0.001)
    batches = 0
    while not served.is_set() and batches < 100:
        worker.release()
        assert worker.acquire()                 # the next batch, at once
        batches += 1
        time.sleep(0.003)                       # the batch's work, the lock held
    worker.release()
    thread.join(5)
    assert served.is_set() and batches <= 3        # without giving way: all 100 (the request never gets in)
