"""Deal sizes in one base currency: dated exchange rates that admins maintain, and conversion.

The base currency is TWD unless `KAMFLOW_BASE_CURRENCY` names another (every process of one
installation reads the same environment). A rate says how many units of the base one unit of a
currency was worth from a date on; a conversion uses the latest rate on or before its date.
The voting rule's `deal_size` and every page that shows a deal use these conversions, next to
the amount as it was typed. Setting a rate is an admin's act (`engine.workspace.exchange_rates`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Callable, Sequence

from sqlalchemy import select

from ..db.money import ExchangeRate
from ..errors import EngineError
from .rules import CURRENCIES
from .schemas import choice

RATE = {"type": "object", "additionalProperties": False, "required": ["currency", "valid_from", "rate"],
        "properties": {"currency": choice(CURRENCIES, "Currency"),
                       "valid_from": {"type": "string", "format": "date", "title": "Valid from"},
                       "rate": {"type": "number", "exclusiveMinimum": 0, "maximum": 10 ** 9, "title": "Rate"}}}


class MissingRate(EngineError):
    """No exchange rate converts this currency on that date; an admin must add one."""

    def __init__(self, currency: str, base: str, on: date):
        self.currency, self.base, self.on = currency, base, on
        super().__init__(f"No exchange rate from {currency} to {base} on or before {on.isoformat()}")


def base_currency() -> str:
    return os.environ.get("KAMFLOW_BASE_CURRENCY", "TWD").strip().upper() or "TWD"


@dataclass(frozen=True)
class Rate:
    currency: str
    valid_from: date
    rate: Decimal


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    currency: str
    base_amount: Decimal
    base: str
    rate: Decimal
    rate_from: date | None           # None: the amount was in the base currency already


def convert(amount, currency: str, base: str, rates: list[Rate], on: date) -> Conversion:
    """`amount` of `currency` in `base`, by the latest of `rates` valid on `on` (pure)."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if currency == base:
        return Conversion(value, currency, value, base, Decimal(1), None)
    valid = [r for r in rates if r.currency == currency and r.valid_from <= on]
    if not valid:
        raise MissingRate(currency, base, on)
    rate = max(valid, key=lambda r: r.valid_from)
    return Conversion(value, currency, (value * rate.rate).quantize(Decimal("0.01")), base, rate.rate, rate.valid_from)


def in_base(amount, currency: str | None, base: str, rates: list[Rate], on: date) -> Decimal | None:
    """`convert`'s base amount, or None where no rate converts it: callers show "no rate" or
    send the case to a person, never a guess."""
    try:
        return convert(amount, currency or base, base, rates, on).base_amount
    except (MissingRate, ValueError):
        return None


def year_end(year: int, today: date) -> date:
    """The day a year's revenue converts on: 31 December of that year, or today for the current year."""
    return min(date(year, 12, 31), today)


def rates(session, base: str | None = None) -> list[Rate]:
    """Every rate into `base` (default: the base currency), by currency, newest first."""
    base = base or base_currency()
    rows = session.execute(select(ExchangeRate.currency, ExchangeRate.valid_from, ExchangeRate.rate)
                           .where(ExchangeRate.base == base)
                           .order_by(ExchangeRate.currency, ExchangeRate.valid_from.desc()))
    return [Rate(currency, valid_from, Decimal(rate)) for currency, valid_from, rate in rows]


def converter(session, today: date) -> Callable[[Decimal, str, int], Decimal | None]:
    """`(amount, currency, year) -> amount in the base` at that year's end (None: no rate), with
    each currency's rates found once - `in_base`, the one conversion rule."""
    base, by_currency = base_currency(), by_currency_of(rates(session))

    def converted(amount, currency: str, of_year: int) -> Decimal | None:
        return in_base(amount, currency, base, by_currency.get(currency, []), year_end(of_year, today))
    return converted


def by_currency_of(table: list[Rate]) -> dict[str, list[Rate]]:
    by_currency: dict[str, list[Rate]] = {}
    for rate in table:
        by_currency.setdefault(rate.currency, []).append(rate)
    return by_currency


def to_base(session, amount, currency: str, on: date, table: Sequence[Rate] | None = None) -> Conversion:
    """`amount` of `currency` in the base currency on `on`, by `table` (the base's rates, as `rates`
    reads them; read here when not given)."""
    base = base_currency()
    return convert(amount, currency or base, base, rates(session, base) if table is None else table, on)
