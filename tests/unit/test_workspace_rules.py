"""engine/workspace/rules.py: the qualification score (§2) and the 80/20 tiers (§1), no database."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine.workspace.rules import Revenue, qualification_score, stage_rank, tiers


def scores(a, b, c, d):
    return {"sales_volume": a, "technology_absorption": b, "market_strength": c, "financial_health": d}


@pytest.mark.parametrize("given, expected", [
    (scores(1, 1, 1, 1), 0), (scores(3, 3, 3, 3), 50), (scores(5, 5, 5, 5), 100),
    (scores(5, 4, 4, 5), 88), (scores(2, 1, 1, 1), 6),
])
def test_the_qualification_score_maps_the_four_criteria_onto_0_to_100(given, expected):
    assert qualification_score(given) == expected


@pytest.mark.parametrize("given", [scores(5, 4, None, 5), scores(5, 4, 6, 5), scores(5, 4, 0, 5), {}])
def test_there_is_no_qualification_score_until_all_four_criteria_are_scored_1_to_5(given):
    assert qualification_score(given) is None


def test_stages_rank_from_none_to_alliance():
    assert [stage_rank(s) for s in (None, "acquaintance", "engagement", "trust", "alliance")] == [0, 1, 2, 3, 4]


def twd(account, year, amount, currency="TWD"):
    return Revenue(account, year, Decimal(amount), currency)


def test_the_accounts_bringing_the_first_80_percent_of_the_latest_years_revenue_are_tier_a():
    revenues = [twd("a", 2025, 500), twd("b", 2025, 300), twd("c", 2025, 120), twd("d", 2025, 50),
                twd("e", 2025, 30), twd("f", 2024, 9000)]
    assert tiers("abcdefg", revenues) == {"a": "A", "b": "A", "c": "B", "d": "B", "e": "C", "f": "C", "g": "C"}


def test_the_biggest_account_is_tier_a_even_when_it_alone_brings_more_than_80_percent():
    assert tiers("xy", [twd("x", 2025, 95), twd("y", 2025, 5)]) == {"x": "A", "y": "C"}


def test_without_a_currency_table_only_base_currency_revenue_counts_and_a_converter_plugs_in():
    revenues = [twd("a", 2025, 100), twd("b", 2025, 1000, "USD")]
    assert tiers("ab", revenues) == {"a": "A", "b": "C"}

    def usd_at_32(amount, currency, year):
        return amount * 32 if currency == "USD" else amount
    assert tiers("ab", revenues, usd_at_32) == {"a": "C", "b": "A"}


def test_with_no_revenue_at_all_every_account_is_tier_c():
    assert tiers(["a", "b"], []) == {"a": "C", "b": "C"}


def test_tiers_rank_the_year_asked_for_instead_of_the_latest():
    revenues = [twd("a", 2024, 960), twd("b", 2024, 40), twd("a", 2025, 1), twd("b", 2025, 99)]
    assert tiers("ab", revenues) == {"a": "C", "b": "A"}
    assert tiers("ab", revenues, year=2024) == {"a": "A", "b": "C"}
