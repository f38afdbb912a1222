"""Answers about the people and the exchange rates, kept by one process while they still hold.

Every approval's scripts ask who sits on the committee and what the rates are, and every step
into a lane asks which groups exist: reads that cost a statement each, though their answers
change a few times a year. A process keeps each answer under the count of changes it was read
at (db/reference_stamps.py, kept by the database's triggers, whoever writes) and gives it again
only to a caller that read the same count in its own transaction, so no process answers from a
past that another process has already changed: a changed count means a fresh read.
"""
from __future__ import annotations

import threading
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


class ReferenceCache:
    """Answers by key, each with the count it was read at; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[Hashable, tuple[int, object]] = {}

    def get(self, key: Hashable, stamp: int | None, read: Callable[[], T]) -> T:
        """The answer kept for `key` at `stamp`, else `read()`, kept for the next caller at `stamp`.
        `stamp` None (the count is unknown): always `read()`, nothing kept. Callers must read
        `stamp` before `read` runs (in the same transaction or earlier), so an answer is never
        kept under a count newer than the data it was read from; answers must not be changed."""
        if stamp is None:
            return read()
        with self._lock:
            found = self._kept.get(key)
        if found is not None and found[0] == stamp:
            return found[1]        # type: ignore[return-value]
        value = read()
        with self._lock:
            older = self._kept.get(key)
            if older is None or older[0] <= stamp:      # a slower reader of an older count keeps nothing
                self._kept[key] = (stamp, value)
        return value
