"""A period's whole months, read from the month counts, and its partial first and last months, read
from the rows (engine/reports/kept_period.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from engine.reports import kept_period


@pytest.mark.parametrize("starts, ends, whole, edges", [
    (date(2026, 3, 15), None, ("2026-04", None), [(date(2026, 3, 15), date(2026, 4, 1))]),
    (None, date(2026, 4, 15), (None, "2026-04"), [(date(2026, 4, 1), date(2026, 4, 15))]),
    (date(2026, 3, 1), date(2026, 5, 1), ("2026-03", "2026-05"), []),
    (date(2026, 4, 3), date(2026, 4, 25), None, [(date(2026, 4, 3), date(2026, 4, 25))]),
    (date(2026, 3, 20), date(2026, 4, 10), None, [(date(2026, 3, 20), date(2026, 4, 10))]),
    (date(2026, 12, 20), date(2027, 2, 10), ("2027-01", "2027-02"),
     [(date(2026, 12, 20), date(2027, 1, 1)), (date(2027, 2, 1), date(2027, 2, 10))]),
    (date(2026, 11, 20), date(2027, 2, 10), ("2026-12", "2027-02"),
     [(date(2026, 11, 20), date(2026, 12, 1)), (date(2027, 2, 1), date(2027, 2, 10))]),
])
def test_a_period_splits_into_whole_months_and_partial_ones(starts, ends, whole, edges):
    def at(day):
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) if day else None
    assert kept_period.split(at(starts), at(ends)) == (whole, [(at(a), at(b)) for a, b in edges])
