"""The accounts' A/B/C tiers as every page shows them (domain §1, the 80/20 rule).

One definition: all accounts, company-wide, ranked by one year's revenue (default: the latest
year anyone has revenue for), each amount converted to the base currency at the rate valid on
31 December of that year (today for the current year) - the conversion the 80/20 report uses -
and tiered by `rules.tier_for`. An amount no rate converts counts for nothing (tier C). The
account list, the account page, the pipeline and the 80/20 report's "company tier" read this;
the 80/20 report's own ranking runs over the accounts in view and is labelled so.

The database ranks the base amounts kept on the revenue rows (`base_amounts`: exact hundredths,
converted by the rule when written) and answers only the accounts in tiers A and B. It is exact:
the running total and the whole are integers, compared as 5 x before < 4 x whole (share < 80%) and
20 x before < 19 x whole (< 95%), which is what `tier_for`'s 28-digit Decimal division decides for
any total below 10^27 hundredths; ties are broken by account id in code-point order, as Python
sorts. Where the database cannot be exact - a row of that year whose kept amount does not hold,
or amounts so large that 20 x the whole could pass 64 bits - the rule runs in Python instead
over the same amounts (`base_amounts.year_in_base`, `rules.tiers_by_amount`).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select

from ..db.workspace import Account, AccountRevenue
from .base_amounts import LIMIT, holds, year_in_base
from .rules import tiers_by_amount

AMOUNT = AccountRevenue.base_amount


def latest_revenue_year(session) -> int | None:
    return session.scalar(select(func.max(AccountRevenue.year)))


def company_tiers(session, today: date, year: int | None = None) -> dict[str, str]:
    """{account id: tier} for every account."""
    result = {account_id: "C" for account_id in session.scalars(select(Account.id))}
    year = year or latest_revenue_year(session)
    if year is None:
        return result
    result.update(above_c(session, year, today))
    return result


def above_c(session, year: int, today: date) -> dict[str, str]:
    """{account id: "A" or "B"} of `year`: ranked by the database where it is exact, else in Python."""
    ranked = ranked_in_sql(session, year, today)
    if ranked is None:
        ranked = {k: t for k, t in tiers_by_amount((), ((r.account_id, r.base) for r in year_in_base(
            session, year, today))).items() if t != "C"}
    return ranked


def ranked_in_sql(session, year: int, today: date) -> dict[str, str] | None:
    """{account id: "A" or "B"} of `year`, ranked by the database; None where it cannot be exact."""
    ranked = ranked_select(session, year, today)
    return None if ranked is None else dict(session.execute(ranked).all())


def ranked_select(session, year: int, today: date):
    """The SELECT of (account id, "A" or "B") of `year` - for a report to join and group by - or None
    where the database cannot be exact."""
    rows, largest, unkept = session.execute(
        select(func.count(), func.max(AMOUNT), func.count(case((holds(year, today), None), else_=1)))
        .where(AccountRevenue.year == year)).one()
    if unkept or (largest or 0) * rows * 20 >= LIMIT:
        return None
    key = AccountRevenue.account_id
    if session.get_bind().dialect.name == "postgresql":
        key = key.collate("C")                   # code-point order, as Python compares strings
    running = select(AccountRevenue.account_id, AMOUNT.label("amount"),
                     func.sum(AMOUNT).over(order_by=(AMOUNT.desc(), key), rows=(None, 0)).label("reached"),
                     func.sum(AMOUNT).over().label("whole")).where(AccountRevenue.year == year, AMOUNT > 0).subquery()
    before = running.c.reached - running.c.amount
    return (select(running.c.account_id, case((5 * before < 4 * running.c.whole, "A"), else_="B").label("tier"))
            .where(20 * before < 19 * running.c.whole))
