"""A report's rows kept as plain tuples, each read as a named row.

CPython's collector stops tracking a plain tuple of strings, numbers and None once it has seen
it, never a NamedTuple or any other object. Ten thousand named rows kept through a call (the
committee's 80/20 report, and its ranking) were enough for a full collection of the whole
process's heap, ~100 ms on this machine, every call or two. Kept plain, a row is named only when
read, and freed as soon as its reader lets go of it: the page names its hundred rows, the CSV
each row in turn."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class PlainRows(Sequence, Generic[T]):
    def __init__(self, named: Callable[[tuple], T], rows: list[tuple]):
        self._named, self._rows = named, rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._named(row) for row in self._rows[index]]
        return self._named(self._rows[index])

    def __iter__(self) -> Iterator[T]:
        return map(self._named, self._rows)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"PlainRows({list(self)!r})"
