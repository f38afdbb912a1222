"""The 80/20 ranking on whole hundredths (`pareto.rank_hundredths`) against hand-computed figures
and against the Decimal ranking over the same amounts: ties, an account with no rate, nothing
bought, a negative amount, and a total too large for the integer tiers."""
from __future__ import annotations

from decimal import Decimal

from engine.reports import pareto

D = Decimal


def as_decimals(pairs):
    return [(k, None if a is None else D(a).scaleb(-2)) for k, a in pairs]


def test_whole_hundredths_rank_with_the_hand_computed_shares_and_tiers():
    # total 10.00: a 5.00 (starts at 0%) A, b 3.00 (50%) A, c 1.00 (80%) B, d 0.60 (90%) B, e 0.40 (96%) C, f 0 C
    ranking = pareto.rank_hundredths([("c", 100), ("a", 500), ("f", 0), ("e", 40), ("b", 300), ("d", 60)])
    assert [(r.key, r.rank, r.amount, r.tier) for r in ranking.rows] == [
        ("a", 1, D("5.00"), "A"), ("b", 2, D("3.00"), "A"), ("c", 3, D("1.00"), "B"), ("d", 4, D("0.60"), "B"),
        ("e", 5, D("0.40"), "C"), ("f", 6, D(0), "C")]
    assert [r.cumulative for r in ranking.rows] == [D("0.5"), D("0.8"), D("0.9"), D("0.96"), D(1), D(1)]
    assert ranking.rows[1].share == D("0.3") and ranking.total == D("10.00")
    assert (ranking.top_count, ranking.top_share) == (2, D("0.8"))


def test_whole_hundredths_give_the_decimal_rankings_rows_for_ties_no_rate_and_negative_amounts():
    cases = [
        [("b", 700), ("a", 700), ("x", None), ("c", 100), ("d", -50), ("e", 0)],      # a tie across 80%
        [("a", 1), ("b", 2), ("c", 3)],                                             # shares that do not end
        [("a", 0), ("b", 0), ("x", None)],                                          # nothing bought
        [("z", 123_456_789_012_345_67), ("y", 1), ("x", 98_765)],
        [],
    ]
    for pairs in cases:
        assert pareto.rank_hundredths(pairs) == pareto.rank(as_decimals(pairs))


def test_a_total_too_large_for_integer_tiers_is_left_to_the_decimal_ranking():
    assert pareto.rank_hundredths([("a", pareto.EXACT_BELOW - 1), ("b", 1)]) is None
    assert pareto.rank_hundredths([("a", pareto.EXACT_BELOW - 2), ("b", 1)]) is not None
