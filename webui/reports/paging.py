"""A report's table a page at a time: at 10,000 accounts a table of every row is seconds of
formatting and HTML nobody reads. The report is still computed over every row (totals, shares,
the chart); only the page's rows are formatted and shown, and the CSV download writes them all.

Each table has its own page number in the query string (`page` for the main table, `page-2`
for the second further table, ...), beside the filters, so every link keeps all of them.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 100


class Rows(Sequence):
    """A table's rows, each formatted only when read: a page formats its own rows, the CSV all."""

    def __init__(self, items: Sequence[Any], formatted: Callable[[Any], list[str]]):
        self._items, self._formatted = items, formatted

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._formatted(item) for item in self._items[index]]
        return self._formatted(self._items[index])


@dataclass(frozen=True)
class Window:
    """One page of a table: `number` counts from 1; rows `first`..`last` (1-based) of `total`."""
    key: str
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return min(self.start + self.size, self.total)

    @property
    def first(self) -> int:
        return self.start + 1 if self.total else 0

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    def rows(self, rows: Sequence) -> list:
        return list(rows[self.start:self.stop])


def page_key(part: int) -> str:
    """The query-string key of a table's page number: `page` for the main table (part 0)."""
    return "page" if part == 0 else f"page-{part + 1}"


def window(args, part: int, total: int, size: int = PAGE_SIZE) -> Window:
    """The page `args` asks for, kept within the table: a missing or bad number is page 1, one
    past the end is the last page (a link kept from a larger result still shows rows)."""
    key = page_key(part)
    raw = str(args.get(key, "") or "")
    asked = int(raw) if raw.isdigit() and len(raw) <= 9 else 1
    pages = max(1, math.ceil(total / size))
    return Window(key, min(max(asked, 1), pages), size, total)
