"""Duration buckets and the ranks read from them (engine/reports/buckets.py, kept_cycle.py): a rank found
among bucket counts, then read among its bucket's sorted values, is the value the pure definition
(engine/reports/stats.py) takes at that rank."""
from __future__ import annotations

import random

import pytest

from engine.reports import buckets, kept_cycle
from engine.reports.stats import spread


@pytest.mark.parametrize("value, code", [(-5, 0), (0, 0), (9, 0), (10, 210), (11, 211), (99, 299), (100, 310),
                                         (1_234_567, 712), (86_400_000_000, 1186), (2 ** 63 - 1, 1992)])
def test_a_bucket_is_the_number_of_digits_and_the_first_two(value, code):
    assert buckets.bucket(value) == code


def test_every_value_lies_within_its_buckets_bounds_and_buckets_rise_with_values():
    rng = random.Random(9)
    values = sorted({rng.randrange(-100, 10 ** rng.randrange(1, 19)) for _ in range(20_000)} | {9, 10, 99, 100})
    for value in values:
        lower, upper = buckets.bounds(buckets.bucket(value))
        assert (lower is None or lower <= value) and (upper is None or value < upper)
    codes = [buckets.bucket(v) for v in values]
    assert codes == sorted(codes)


def test_a_bucket_holds_values_within_ten_percent_of_each_other():
    for code in (210, 299, 712, 1186):
        lower, upper = buckets.bounds(code)
        assert (upper - lower) / lower <= 0.1


def test_the_largest_bucket_has_no_upper_bound_beyond_a_bigint():
    assert buckets.bounds(1992) == (92 * 10 ** 17, None) and buckets.bounds(0) == (None, 10)


def test_a_rank_is_placed_in_its_bucket_at_its_offset_among_the_bucket_values():
    counts = [(712, 3), (210, 2), (1186, 1)]
    assert [buckets.place(counts, r) for r in range(1, 7)] == [
        buckets.Place(210, 0), buckets.Place(210, 1), buckets.Place(712, 0), buckets.Place(712, 1),
        buckets.Place(712, 2), buckets.Place(1186, 0)]
    with pytest.raises(ValueError):
        buckets.place(counts, 7)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 9, 10, 11, 19, 20, 21, 101])
def test_median_and_p90_from_the_values_at_the_ranks_equal_the_pure_spread(n):
    rng = random.Random(n)
    values = [rng.randrange(-50, 10 ** 12) for _ in range(n)] + [7] * (n % 3)     # ties too
    counts = {}
    for v in values:
        counts[buckets.bucket(v)] = counts.get(buckets.bucket(v), 0) + 1
    by_bucket = {code: sorted(v for v in values if buckets.bucket(v) == code) for code in counts}
    at = {}
    for rank in kept_cycle.ranks(len(values)):
        where = buckets.place(counts.items(), rank)
        at[rank] = by_bucket[where.bucket][where.offset] / 1_000_000
    assert kept_cycle.spread_at(len(values), at) == spread([v / 1_000_000 for v in values])


def test_no_values_have_no_median():
    assert kept_cycle.ranks(0) == [] and kept_cycle.spread_at(0, {}) == spread([])
