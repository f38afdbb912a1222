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

from sqlalchemy import select

from ..db.workspace import Account, AccountRevenue
from ..workspace.currency import base_currency, rates
from ..workspace.rules import CRITERIA, qualification_score
from ..workspace.tiers import company_tiers
from . import pareto, scope
from .filters import Filters
from .money import in_base, year_end


@dataclass(frozen=True)
class PortfolioRow:
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
    rows: list[PortfolioRow]
    total: Decimal
    top_count: int
    top_share: Decimal | None


def _revenue_by_account(session, ids: list[str], year: int) -> dict[str, tuple[Decimal, str]]:
    found: dict[str, tuple[Decimal, str]] = {}
    if ids:
        for row in session.scalars(select(AccountRevenue).where(AccountRevenue.account_id.in_(ids),
                                                               AccountRevenue.year == year)):
            found[row.account_id] = (Decimal(row.amount), row.currency)
    return found


def ranked_accounts(ctx, uow, person, filters: Filters) -> Portfolio:
    s = uow.session
    accounts = list(s.scalars(select(Account).where(*scope.accounts_where(uow, person, filters))))
    ids = [a.id for a in accounts]
    years = sorted(set(s.scalars(select(AccountRevenue.year).where(AccountRevenue.account_id.in_(ids)))),
                   reverse=True) if ids else []
    today = ctx.clock().date()
    year = filters.year or (years[0] if years else today.year)
    base, table = base_currency(), rates(s)
    recorded = _revenue_by_account(s, ids, year)
    on = year_end(year, today)
    converted = {i: in_base(*recorded[i], base, table, on) if i in recorded else Decimal(0) for i in ids}
    ranking = pareto.rank(converted.items())
    by_id = {a.id: a for a in accounts}
    company = company_tiers(s, today, year)
    rows = []
    for r in ranking.rows:
        a = by_id[r.key]
        amount, currency = recorded.get(a.id, (None, None))
        rows.append(PortfolioRow(a.id, a.name, a.account_type, a.owner, r.rank, r.amount, amount, currency,
                                 r.share, r.cumulative, r.tier,
                                 qualification_score({c: getattr(a, c) for c in CRITERIA}), company.get(a.id, "C")))
    return Portfolio(year, years, base, rows, ranking.total, ranking.top_count, ranking.top_share)


def portfolio(ctx, uow, username: str, filters: Filters) -> Portfolio:
    return ranked_accounts(ctx, uow, scope.viewer(uow, username), filters)
