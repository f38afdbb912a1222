"""Converting a deal size into the base currency by dated exchange rates (pure, no database)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.workspace.currency import MissingRate, Rate, convert

RATES = [Rate("USD", date(2026, 1, 1), Decimal("31.5")), Rate("USD", date(2026, 7, 1), Decimal("32.25")),
         Rate("JPY", date(2026, 1, 1), Decimal("0.2134"))]


def test_a_conversion_uses_the_latest_rate_valid_on_its_date():
    early = convert(100_000, "USD", "TWD", RATES, date(2026, 6, 30))
    late = convert(100_000, "USD", "TWD", RATES, date(2026, 7, 1))
    assert (early.base_amount, early.rate_from) == (Decimal("3150000.00"), date(2026, 1, 1))
    assert (late.base_amount, late.rate, late.base) == (Decimal("3225000.00"), Decimal("32.25"), "TWD")


def test_an_amount_in_the_base_currency_is_kept_and_small_rates_round_to_cents():
    assert convert(2_500_000, "TWD", "TWD", [], date(2026, 1, 1)).base_amount == Decimal("2500000")
    assert convert(1234, "JPY", "TWD", RATES, date(2026, 2, 1)).base_amount == Decimal("263.34")


def test_a_currency_without_a_rate_on_that_date_is_refused_by_name():
    with pytest.raises(MissingRate, match="EUR to TWD"):
        convert(1, "EUR", "TWD", RATES, date(2026, 2, 1))
    with pytest.raises(MissingRate, match="USD"):
        convert(1, "USD", "TWD", RATES, date(2025, 12, 31))
