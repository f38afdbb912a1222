"""Each revenue row's amount in the base currency, kept on the row.

The company tiers and the 80/20 report rank every account by one year's revenue in the base
currency. Converting every account's amount on each request cost ~150 ms at 10,000 accounts, and
ranking the recorded amounts in SQL cannot be exact on both databases: SQLite keeps NUMERIC as
floating point, and the rule (cents times the rate's 10^-8 units, half-even to the cent) needs
more than 64-bit integers on the way. So each row keeps what the rule itself (`currency.in_base`)
gives for its amount and the rates as the database gives them back, as whole hundredths of the
base (`base_amount`), with what that holds for: the base currency and the conversion dates on
which the rate it used is the one in force (`base_from` <= date < `base_until`, NULL: open).
A row is kept when it is written (`documents.apply_profile`), a currency's rows whenever a rate
of it is set (`exchange_rates.set_rate`), older rows by migration 0025.

A reader trusts a kept amount only where it holds for its own base and date, and converts any
other row as before: a row written around the engine (by hand; the big-database seeder keeps its
rows with `keep` once written), a current year's row once a rate set in advance has come into
force, an amount beyond 64 bits (never kept). So the answer is always the rule's; keeping only
makes it cheap.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable

from sqlalchemy import ColumnElement, and_, bindparam, case, or_, select, text

from ..db.workspace import AccountRevenue
from .currency import Rate, base_currency, by_currency_of, converter, in_base, rates, year_end

LIMIT = 2 ** 63                        # a BIGINT holds -LIMIT .. LIMIT - 1
NOT_KEPT = {"base_amount": None, "base_currency": None, "base_from": None, "base_until": None}
PG_KEEP_LOCK = 7_317_025                # any constant; every KAM Flow process agrees on it
QUEUE_ALONE = text("SELECT pg_advisory_xact_lock(:key)")
QUEUE_BESIDE = text("SELECT pg_advisory_xact_lock_shared(:key)")
_revenues = AccountRevenue.__table__
KEEP = (_revenues.update()
        .where(_revenues.c.account_id == bindparam("row_account"), _revenues.c.year == bindparam("row_year")))


def kept(amount, currency: str, base: str, own: list[Rate], on: date) -> dict:
    """The base_* columns of a row of `amount` in `currency` converted on `on` with `own`, the
    rates of that currency (pure): the rule's amount in hundredths, or NOT_KEPT when a BIGINT
    cannot hold it."""
    value = in_base(amount, currency, base, own, on)
    if currency == base:
        held_from = held_until = None
    else:
        held_from = max((r.valid_from for r in own if r.currency == currency and r.valid_from <= on), default=None)
        held_until = min((r.valid_from for r in own if r.currency == currency and r.valid_from > on), default=None)
    hundredths = None
    if value is not None:
        scaled = value.scaleb(2)
        if scaled != scaled.to_integral_value() or not -LIMIT <= scaled < LIMIT:
            return dict(NOT_KEPT)
        hundredths = int(scaled)
    return {"base_amount": hundredths, "base_currency": base, "base_from": held_from, "base_until": held_until}


def keep(session, today: date, account_id: str | None = None, currency: str | None = None) -> int:
    """Keep the base amounts of one account's revenue rows, or one currency's, or every row
    (neither given), as of `today`; how many rows. Reads the amounts back, so a kept amount is
    what a reader would convert (SQLite returns NUMERIC through floating point)."""
    _queue(session, exclusive=account_id is None)
    q = select(AccountRevenue.account_id, AccountRevenue.year, AccountRevenue.amount, AccountRevenue.currency)
    if account_id is not None:
        q = q.where(AccountRevenue.account_id == account_id)
    if currency is not None:
        q = q.where(AccountRevenue.currency == currency)
    session.flush()
    base, by_currency = base_currency(), by_currency_of(rates(session))
    rows = [{"row_account": r.account_id, "row_year": r.year,
             **kept(r.amount, r.currency, base, by_currency.get(r.currency, []), year_end(r.year, today))}
            for r in session.execute(q)]
    if rows:
        session.execute(KEEP, rows)
    return len(rows)


def holds(year: int, today: date) -> ColumnElement[bool]:
    """A row of `year` whose kept amount holds for the base currency and that year's conversion date."""
    on = year_end(year, today)
    return and_(AccountRevenue.base_currency == base_currency(),
                or_(AccountRevenue.base_from.is_(None), AccountRevenue.base_from <= on),
                or_(AccountRevenue.base_until.is_(None), AccountRevenue.base_until > on))


def _queue(session, exclusive: bool) -> None:
    """On PostgreSQL an account's revenue (shared) and a currency's rows (exclusive, after its rate
    was written) are kept one after the other, to the transaction's end: a rate set while an account
    is saved then either re-keeps that account's rows once they are committed, or is committed
    before the save reads the rates (READ COMMITTED reads anew after the wait). SQLite's
    `BEGIN IMMEDIATE` already queues every writer."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(QUEUE_ALONE if exclusive else QUEUE_BESIDE, {"key": PG_KEEP_LOCK})


@dataclass(frozen=True)
class YearRevenue:
    account_id: str
    amount: Decimal                      # as recorded
    currency: str
    base: Decimal | None                 # in the base currency; None: no rate converts it


def year_in_base(session, year: int, today: date, accounts=None) -> list[YearRevenue]:
    """`year`'s revenue rows (of the accounts the `accounts` id subquery selects; default all),
    each in the base currency as `currency.in_base` converts it at that year's end: the kept
    amount where it holds, converted here where it does not."""
    q = select(AccountRevenue.account_id, AccountRevenue.amount, AccountRevenue.currency,
               AccountRevenue.base_amount, case((holds(year, today), 1), else_=0)).where(AccountRevenue.year == year)
    if accounts is not None:
        q = q.where(AccountRevenue.account_id.in_(accounts))
    read = reader(session, today)
    return [YearRevenue(account_id, amount, currency, read(amount, currency, year, hundredths, held))
            for account_id, amount, currency, hundredths, held in session.execute(q)]


def reader(session, today: date) -> Callable[..., Decimal | None]:
    """`(amount, currency, year, kept hundredths, held) -> the amount in the base`: the kept amount
    where it holds (`holds`, selected as 1 or 0 beside it), else converted by `currency.in_base`
    (the rates read once, on the first such row)."""
    to_base = None

    def read(amount, currency: str, year: int, hundredths: int | None, held) -> Decimal | None:
        nonlocal to_base
        if held:
            return None if hundredths is None else Decimal(hundredths).scaleb(-2)
        to_base = to_base or converter(session, today)
        return to_base(amount, currency, year)
    return read
