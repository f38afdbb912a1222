"""The accounts' A/B/C tiers as every page shows them (domain §1, the 80/20 rule).

One definition: all accounts, company-wide, ranked by one year's revenue (default: the latest
year anyone has revenue for), each amount converted to the base currency at the rate valid on
31 December of that year (today for the current year) - the conversion the 80/20 report uses -
and tiered by `rules.tier_for`. An amount no rate converts counts for nothing (tier C). The
account list, the account page, the pipeline and the 80/20 report's "company tier" read this;
the 80/20 report's own ranking runs over the accounts in view and is labelled so.

Only that one year's revenue rows are read, as columns (at 10,000 accounts: 10,000 narrow rows,
not every year's as objects), and each currency's rates are looked up once per call.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Callable

from sqlalchemy import func, select

from ..db.workspace import Account, AccountRevenue
from .currency import Rate, base_currency, in_base, rates, year_end
from .rules import Revenue, tiers


def latest_revenue_year(session) -> int | None:
    return session.scalar(select(func.max(AccountRevenue.year)))


def year_revenues(session, year: int, accounts=None) -> list[Revenue]:
    """`year`'s revenue rows (of the accounts the `accounts` id subquery selects; default all)."""
    q = select(AccountRevenue.account_id, AccountRevenue.year, AccountRevenue.amount,
               AccountRevenue.currency).where(AccountRevenue.year == year)
    if accounts is not None:
        q = q.where(AccountRevenue.account_id.in_(accounts))
    return [Revenue(*row) for row in session.execute(q)]


def converter(session, today: date) -> Callable[[Decimal, str, int], Decimal | None]:
    """`(amount, currency, year) -> amount in the base` at that year's end (None: no rate), with
    each currency's rates found once - `currency.in_base`, the one conversion rule."""
    base, by_currency = base_currency(), {}
    for rate in rates(session):
        by_currency.setdefault(rate.currency, []).append(rate)

    def converted(amount, currency: str, of_year: int) -> Decimal | None:
        own: list[Rate] = by_currency.get(currency, [])
        return in_base(amount, currency, base, own, year_end(of_year, today))
    return converted


def company_tiers(session, today: date, year: int | None = None) -> dict[str, str]:
    """{account id: tier} for every account."""
    ids = list(session.scalars(select(Account.id)))
    year = year or latest_revenue_year(session)
    revenues = year_revenues(session, year) if year is not None else []
    return tiers(ids, revenues, converter(session, today), year)
