"""What a revenue row keeps of its amount in the base currency (pure, no database): the rule's
amount in hundredths, the base, and the conversion dates on which the rate it used is in force."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from engine.workspace.base_amounts import NOT_KEPT, kept
from engine.workspace.currency import Rate, in_base

USD = [Rate("USD", date(2025, 1, 1), Decimal("30.12345678")), Rate("USD", date(2025, 7, 1), Decimal("0.5")),
       Rate("USD", date(2026, 1, 1), Decimal("1000000000"))]


def test_an_amount_in_the_base_currency_is_kept_exactly_and_holds_on_every_date():
    assert kept(Decimal("123456789012345.67"), "TWD", "TWD", [], date(2025, 12, 31)) == {
        "base_amount": 12345678901234567, "base_currency": "TWD", "base_from": None, "base_until": None}


def test_a_converted_amount_is_the_rules_to_the_cent_and_holds_until_the_next_rate():
    on = date(2025, 3, 31)
    assert in_base(Decimal("100.00"), "USD", "TWD", USD, on) == Decimal("3012.35")     # 3012.345678
    assert kept(Decimal("100.00"), "USD", "TWD", USD, on) == {
        "base_amount": 301235, "base_currency": "TWD", "base_from": date(2025, 1, 1), "base_until": date(2025, 7, 1)}


def test_half_a_cent_rounds_to_even_as_the_rule_does():
    on = date(2025, 12, 31)
    assert [kept(Decimal(a), "USD", "TWD", USD, on)["base_amount"] for a in ("0.05", "0.15", "0.25")] == [2, 8, 12]
    assert kept(Decimal("0.05"), "USD", "TWD", USD, on)["base_until"] == date(2026, 1, 1)


def test_without_a_rate_yet_nothing_converts_until_the_first_rate_comes_into_force():
    assert kept(Decimal("100.00"), "USD", "TWD", USD, date(2024, 12, 31)) == {
        "base_amount": None, "base_currency": "TWD", "base_from": None, "base_until": date(2025, 1, 1)}
    assert kept(Decimal("100.00"), "EUR", "TWD", [], date(2024, 12, 31))["base_until"] is None


def test_an_amount_a_bigint_cannot_hold_is_not_kept_so_readers_convert_it():
    on = date(2026, 12, 31)
    assert in_base(Decimal("1000000000000000"), "USD", "TWD", USD, on) == Decimal("1E+24")
    assert kept(Decimal("1000000000000000"), "USD", "TWD", USD, on) == NOT_KEPT
    assert kept(Decimal("92233720368547758.07"), "TWD", "TWD", [], on)["base_amount"] == 2 ** 63 - 1
    assert kept(Decimal("92233720368547758.08"), "TWD", "TWD", [], on) == NOT_KEPT
