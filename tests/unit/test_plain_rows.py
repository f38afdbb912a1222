"""A report's rows kept as plain tuples (engine/reports/plain_rows.py): read as named rows by
index, slice and iteration, equal to the same named rows, and - why they are kept plain - left
untracked by CPython's collector once it has seen them, where named rows stay tracked."""
from __future__ import annotations

import gc
from decimal import Decimal
from typing import NamedTuple

from engine.reports.plain_rows import PlainRows


class Row(NamedTuple):
    key: str
    rank: int | None
    amount: Decimal | None


def test_plain_rows_read_as_named_rows_by_index_slice_and_iteration():
    rows = PlainRows(Row._make, [("a", 1, Decimal("2.50")), ("b", None, None)])
    assert len(rows) == 2 and rows[0].amount == Decimal("2.5") and rows[-1].key == "b"
    assert [r.key for r in rows[0:1]] == ["a"] and [r.rank for r in rows] == [1, None]
    assert rows == [Row("a", 1, Decimal("2.5")), Row("b", None, None)] and rows != [Row("a", 1, Decimal(0))]


def test_the_collector_stops_tracking_plain_rows_and_keeps_tracking_named_ones():
    kept = [(f"account-{i}", i, Decimal(i)) for i in range(3)]
    named = [Row._make(row) for row in kept]
    gc.collect()
    assert not any(gc.is_tracked(row) for row in kept)
    assert all(gc.is_tracked(row) for row in named)
