"""Setting exchange rates: an admin's act, audited on the `system` stream. A rate changes what
every amount of its currency is worth in the base, so the base amounts kept on that currency's
revenue rows (`engine.workspace.base_amounts`) are kept again in the same unit of work."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from .. import auditlog, forms
from ..db.money import ExchangeRate
from ..errors import FieldError, NotAllowed, ValidationFailed
from . import base_amounts
from .currency import RATE, Conversion, Rate, base_currency, rates, to_base

SYSTEM = "system"


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
    uow.session.flush()
    base_amounts.keep(uow.session, ctx.clock().date(), currency=row.currency)
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
