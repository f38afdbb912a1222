"""Report (a): the 80/20 portfolio - the accounts in view ranked by one year's revenue in the
base currency, with the cumulative share, the A/B/C tiers it implies and the share of the top
20% of accounts; beside it each account's qualification score (domain §2). Revenue says which
accounts are important now; the score says which meet the criteria of a key account: two
different things, shown apart. The ranking (and the tier it implies) runs over the accounts shown
(after the filters); beside it each account's company tier, the one the account list shows
(`engine.workspace.tiers`: all accounts, the same year and conversion). Without filters, for a
viewer who sees every account, the two are the same."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, Sequence

from sqlalchemy import and_, case, select

from ..db.workspace import Account, AccountRevenue
from ..workspace.base_amounts import holds, reader
from ..workspace.currency import base_currency
from ..workspace.rules import CRITERIA, qualification_score
from ..workspace.tiers import above_c
from . import pareto, scope
from .filters import Filters
from .plain_rows import PlainRows


class PortfolioRow(NamedTuple):
    """One account's row: a NamedTuple, immutable and a seventh of a frozen dataclass's cost to
    make; the report keeps its rows as plain tuples (`plain_rows`) and names each when read."""
    account_id: str
    name: str
    account_type: str
    owner: str
    rank: int | None
    revenue: Decimal | None              # in the base currency; None: no rate (see `amount`)
    amount: Decimal | None               # as recorded, in `currency`; None: no revenue that year
    currency: str | None
    share: Decimal | None
    cumulative: Decimal | None
    tier: str | None                     # in this ranking (the accounts shown)
    score: int | None                    # qualification by criteria, 0-100
    company_tier: str = "C"              # among all accounts: the account list's tier

    @property
    def no_rate(self) -> bool:
        return self.amount is not None and self.revenue is None


@dataclass(frozen=True)
class Portfolio:
    year: int
    years: list[int]                     # the years with revenue in view, newest first
    base: str
    rows: Sequence[PortfolioRow]         # kept plain, each named when read (`plain_rows`)
    total: Decimal
    top_count: int
    top_share: Decimal | None


def ranked_accounts(ctx, uow, person, filters: Filters) -> Portfolio:
    """One statement reads the accounts in view (a subquery, never a list of ids: the committee's
    view holds 10,000 accounts) with their revenue row of the year and its kept base amount. The
    ranking runs on those whole hundredths (`pareto.rank_hundredths`), on Decimals only where a
    row's amount is not a whole number of hundredths. The company tiers come from the database
    (`tiers.above_c`), or from this ranking when the view holds every account (they are then the
    same ranking). Each distinct set of criteria is scored once (at most 626 of them). Every
    row, read or built, is a plain tuple until a reader names it (`plain_rows`)."""
    s = uow.session
    where = scope.accounts_where(uow, person, filters)
    years = sorted(s.scalars(select(AccountRevenue.year).where(
        AccountRevenue.account_id.in_(select(Account.id).where(*where))).distinct()), reverse=True)
    today = ctx.clock().date()
    year = filters.year or (years[0] if years else today.year)
    columns = select(Account.id, Account.name, Account.account_type, Account.owner,
                     *[getattr(Account, c) for c in CRITERIA], AccountRevenue.amount, AccountRevenue.currency,
                     AccountRevenue.base_amount, case((holds(year, today), 1), else_=0))
    found = [tuple(a) for a in s.execute(columns.outerjoin(AccountRevenue, and_(
        AccountRevenue.account_id == Account.id, AccountRevenue.year == year)).where(*where))]
    ranking = _ranking(found, reader(s, today), year)
    every = scope.sees_every_account(person, filters)             # the company's ranking is the view's
    company = {} if every else above_c(s, year, today)
    by_id, scores, rows = {a[0]: a for a in found}, {}, []
    for key, rank, revenue, share, cumulative, tier in ranking.rows:
        account_id, name, account_type, owner, *criteria, amount, currency, _h, _held = by_id[key]
        criteria = tuple(criteria)
        if criteria not in scores:
            scores[criteria] = qualification_score(dict(zip(CRITERIA, criteria)))
        rows.append((account_id, name, account_type, owner, rank, revenue, amount, currency, share, cumulative,
                     tier, scores[criteria], (tier or "C") if every else company.get(account_id, "C")))
    return Portfolio(year, years, base_currency(), PlainRows(PortfolioRow._make, rows), ranking.total,
                     ranking.top_count, ranking.top_share)


def _ranking(found, read, year: int) -> pareto.Ranking:
    """The view ranked by its accounts' revenue in the base (no row that year: 0): on whole
    hundredths - kept, or converted here - where every amount is one, else on Decimals; the
    same rule either way."""
    hundredths = []
    for account_id, *_columns, amount, currency, kept, held in found:
        if amount is not None and not held:
            value = read(amount, currency, year, kept, held)
            kept = None if value is None else value.scaleb(2)
            if kept is not None and kept != kept.to_integral_value():
                hundredths = None
                break
            kept = None if kept is None else int(kept)
        hundredths.append((account_id, 0 if amount is None else kept))
    ranking = pareto.rank_hundredths(hundredths) if hundredths is not None else None
    return ranking or pareto.rank((a[0], Decimal(0) if a[-4] is None else read(a[-4], a[-3], year, a[-2], a[-1]))
                                  for a in found)


def portfolio(ctx, uow, username: str, filters: Filters) -> Portfolio:
    return ranked_accounts(ctx, uow, scope.viewer(uow, username), filters)
