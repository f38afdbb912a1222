"""Deal sizes in one base currency: dated exchange rates that admins maintain, and conversion.

The base currency is TWD unless `KAMFLOW_BASE_CURRENCY` names another (every process of one
installation reads the same environment). A rate says how many units of the base one unit of a
currency was worth from a date on; a conversion uses the latest rate on or before its date.
The voting rule's `deal_size` and every page that shows a deal use these conversions, next to
the amount as it was typed. Setting a rate is an admin's act, audited on the `system` stream.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from .. import auditlog, forms
from ..db.money import ExchangeRate
from ..errors import EngineError, FieldError, NotAllowed, ValidationFailed
from .rules import CURRENCIES
from .schemas import choice

SYSTEM = "system"
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
    base = base or base_currency()
    rows = session.scalars(select(ExchangeRate).where(ExchangeRate.base == base)
                           .order_by(ExchangeRate.currency, ExchangeRate.valid_from.desc()))
    return [Rate(r.currency, r.valid_from, Decimal(r.rate)) for r in rows]


def to_base(session, amount, currency: str, on: date) -> Conversion:
    base = base_currency()
    return convert(amount, currency or base, base, rates(session, base), on)


def set_rate(ctx, uow, actor: str, document: dict) -> None:
    """Add (or correct) the rate of a currency from a date on; admins only."""
    person = uow.directory.find(actor)
    if person is None or not person.active or not person.is_admin:
        raise NotAllowed("Only an admin may set exchange rates")
    forms.validate(RATE, document)
    base = base_currency()
    if document["currency"] == base:
        raise ValidationFailed([FieldError("$.currency", "is the base currency")])
    valid_from, value = date.fromisoformat(document["valid_from"]), Decimal(str(document["rate"]))
    row = uow.session.scalars(select(ExchangeRate).where(
        ExchangeRate.base == base, ExchangeRate.currency == document["currency"],
        ExchangeRate.valid_from == valid_from)).one_or_none()
    if row is None:
        row = ExchangeRate(base=base, currency=document["currency"], valid_from=valid_from)
        uow.session.add(row)
    row.rate, row.set_by, row.set_at = value, actor, ctx.clock()
    auditlog.record(uow.session, SYSTEM, "exchange_rate_set", actor, ctx.clock(),
                    meta={"base": base, "currency": row.currency, "valid_from": valid_from.isoformat(),
                          "rate": str(value)})


class Rates:
    """`eng.rates`: the exchange-rate table and conversions, one unit of work per call."""

    def __init__(self, eng):
        self._eng = eng

    @property
    def base(self) -> str:
        return base_currency()

    def list(self) -> list[Rate]:
        """Every rate into the base currency, by currency, newest first."""
        return self._eng._read(lambda uow: rates(uow.session))

    def set(self, user: str, document: dict) -> None:
        """`{currency, valid_from (ISO date), rate}`: one unit of `currency` in the base currency."""
        self._eng._write(lambda uow: set_rate(self._eng.ctx, uow, user, document))

    def convert(self, amount, currency: str, on: date | None = None) -> Conversion:
        """`amount` of `currency` in the base currency on `on` (default: today); MissingRate if none."""
        on = on or self._eng.ctx.clock().date()
        return self._eng._read(lambda uow: to_base(uow.session, amount, currency, on))
