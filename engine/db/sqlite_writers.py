"""SQLite's writers take turns through a lock of their own, and are woken as soon as it is free.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps 1, 2, 5,
10 ... up to 100 ms between tries, so a writer that just missed the lock often sleeps long after
it was freed while the cores idle (bench/completions.py, 4 clients: ~47 ms of such waiting per
write transaction). So a write transaction first takes a lock beside the database file
(`<database>-writers`): the threads of one process queue on a threading lock (woken at once),
the processes on flock(2), tried again within at most 2 ms. It is released right after COMMIT
or ROLLBACK, or when the connection closes, and by the kernel when a process dies.

Processes take turns fairly: one that waits says so (a shared lock on `<database>-waiting`), and a
process that finds the lock free while others wait (the timer worker between two batches) lets
them go first, for up to 50 ms. Without that, a web request waited out batch after batch (a POST's
p95 went from 29 ms to 534 ms while a worker fired 2,000 timers: bench/web_during_timers.py).

SQLite's own lock stays the guard: a writer that cannot have this lock in time (or a program
that does not use it) goes on to `BEGIN IMMEDIATE` as before, and SQLite's busy timeout decides.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time

POLL_MAX = 0.002            # seconds between two tries at another process's lock, at most
GIVE_WAY = 0.05             # seconds a newcomer lets the waiting processes go first, at most


class WritersLock:
    """One per database file and process (re-opened in a forked child: an inherited descriptor
    would share the parent's flock)."""

    def __init__(self, path: str, timeout: float):
        self.path, self.timeout = path, timeout
        self._pid, self._fd, self._waiting, self._threads, self._owner = None, None, None, threading.Lock(), None
        self._setup = threading.Lock()

    def _ready(self) -> None:
        if self._pid == os.getpid():
            return
        with self._setup:
            if self._pid != os.getpid():
                for fd in (self._fd, self._waiting):
                    if fd is not None:
                        os.close(fd)
                self._threads, self._owner = threading.Lock(), None
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self._waiting = os.open(f"{self.path}-waiting", os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()

    def acquire(self) -> bool:
        """True once this thread holds the lock; False when it could not be had in time, or when
        this thread already holds it (a second connection of the same thread: SQLite decides)."""
        self._ready()
        if self._owner == threading.get_ident():
            return False
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            return False
        give_way = time.monotonic() + GIVE_WAY
        delay, waiting = 0.0001, False
        try:
            while True:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        self._threads.release()
                        return False
                    waiting = waiting or self._say_waiting()
                    time.sleep(delay)
                    delay = min(delay * 2, POLL_MAX)
                    continue
                if not waiting and time.monotonic() < give_way and self._others_wait():
                    fcntl.flock(self._fd, fcntl.LOCK_UN)      # free, but others were waiting first
                    time.sleep(POLL_MAX / 4)
                    continue
                self._owner = threading.get_ident()
                return True
        finally:
            if waiting:
                fcntl.flock(self._waiting, fcntl.LOCK_UN)

    def _others_wait(self) -> bool:
        """Whether another process waits for the lock (holds the waiting file shared)."""
        try:
            fcntl.flock(self._waiting, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self._waiting, fcntl.LOCK_UN)
        return False

    def _say_waiting(self) -> bool:
        try:
            fcntl.flock(self._waiting, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return True
        except BlockingIOError:       # another process is just looking (`_others_wait`): next time
            return False

    def release(self) -> None:
        self._owner = None
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()


class TakingTurns(sqlite3.Connection):
    """A connection that holds its database's `WritersLock` from `take_turn` (before BEGIN
    IMMEDIATE) to the end of that transaction."""

    writers: WritersLock          # set on the subclass made for each database (`connection_class`)
    _turn = False
    reading_ahead = False         # an optimistic write transaction before its turn (read_ahead.py)
    witnesses: list = []

    def take_turn(self) -> None:
        self._turn = self.writers.acquire()

    def end_turn(self) -> None:
        self.reading_ahead, self.witnesses = False, []
        if self._turn:
            self._turn = False
            self.writers.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.end_turn()


def connection_class(database: str, timeout: float) -> type[TakingTurns]:
    """The sqlite3 connection class (`sqlite3.connect(factory=...)`) for the database file `database`."""
    return type("TakingTurnsOn", (TakingTurns,), {"writers": WritersLock(f"{database}-writers", timeout)})
