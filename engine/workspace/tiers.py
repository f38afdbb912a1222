"""The accounts' A/B/C tiers as every page shows them (domain §1, the 80/20 rule).

One definition: all accounts, company-wide, ranked by one year's revenue (default: the latest
year anyone has revenue for), each amount converted to the base currency at the rate valid on
31 December of that year (today for the current year) - the conversion the 80/20 report uses -
and tiered by `rules.tier_for`. An amount no rate converts counts for nothing (tier C). The
account list, the account page, the pipeline and the 80/20 report's "company tier" read this;
the 80/20 report's own ranking runs over the accounts in view and is labelled so.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..db.workspace import Account, AccountRevenue
from .currency import base_currency, rates, in_base, year_end
from .rules import Revenue, tiers


def company_tiers(session, today: date, year: int | None = None) -> dict[str, str]:
    """{account id: tier} for every account."""
    ids = list(session.scalars(select(Account.id)))
    revenues = [Revenue(*row) for row in session.execute(select(     # columns, not ORM objects: 10,000s of rows
        AccountRevenue.account_id, AccountRevenue.year, AccountRevenue.amount, AccountRevenue.currency))]
    base, table = base_currency(), rates(session)

    def converted(amount, currency: str, of_year: int):
        return in_base(amount, currency, base, table, year_end(of_year, today))
    return tiers(ids, revenues, converted, year)
