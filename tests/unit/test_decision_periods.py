"""A report period (UTC, [starts, ends)) split into the whole months the kept counts answer and the
part-months at its ends that the rows answer (engine/reports/kept_counts.py)."""
from datetime import datetime, timezone

from engine.reports.kept_counts import split


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=timezone.utc)


def test_no_period_is_every_kept_count_and_no_rows():
    period = split(None, None)
    assert period.whole and period.months and period.edges == ()


def test_a_period_of_whole_months_reads_no_rows():
    period = split(at(2025, 1, 1), at(2026, 1, 1))
    assert (period.first_month, period.last_month, period.edges) == ("2025-01", "2025-12", ())


def test_a_period_from_mid_month_to_mid_month_reads_the_two_part_months_from_the_rows():
    period = split(at(2025, 3, 14), at(2026, 2, 10))
    assert (period.first_month, period.last_month) == ("2025-04", "2026-01")
    assert period.edges == ((at(2025, 3, 14), at(2025, 4, 1)), (at(2026, 2, 1), at(2026, 2, 10)))


def test_a_period_within_one_month_is_read_from_the_rows_alone():
    period = split(at(2026, 11, 3), at(2026, 11, 21))
    assert not period.months and period.edges == ((at(2026, 11, 3), at(2026, 11, 21)),)


def test_a_period_across_new_year_without_a_whole_month_is_one_stretch_of_rows():
    period = split(at(2025, 12, 20), at(2026, 1, 10))
    assert not period.months and period.edges == ((at(2025, 12, 20), at(2026, 1, 10)),)


def test_an_open_end_keeps_every_month_on_that_side():
    since = split(at(2025, 12, 20), None)
    assert (since.first_month, since.last_month, since.edges) == ("2026-01", None, ((at(2025, 12, 20), at(2026, 1, 1)),))
    until = split(None, at(2025, 1, 18))
    assert (until.first_month, until.last_month, until.edges) == (None, "2024-12", ((at(2025, 1, 1), at(2025, 1, 18)),))
