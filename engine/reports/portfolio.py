"""Report (a): the 80/20 portfolio - the accounts in view ranked by one year's revenue in the
base currency, with the cumulative share, the A/B/C tiers it implies and the share of the top
20% of accounts; beside it each account's qualification score (domain §2). Revenue says which
accounts are important now; the score says which meet the criteria of a key account: two
different things, shown apart. The ranking (and the tier it implies) runs over the accounts shown
(after the filters); beside it each account's company tier, the one the account list shows
(`engine.workspace.tiers`: all accounts, the same year and conversion). Without filters, for a
viewer who sees every account, the two are the same."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from ..db.workspace import Account, AccountRevenue
from ..workspace.currency import base_currency
from ..workspace.rules import CRITERIA, qualification_score, tiers
from ..workspace.tiers import converter, year_revenues
from . import pareto, scope
from .filters import Filters


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


def ranked_accounts(ctx, uow, person, filters: Filters) -> Portfolio:
    """Columns, not ORM objects, and the accounts in view as a subquery, never a list of ids: the
    committee's view holds every account (10,000 at the benchmark's scale). The year's revenue
    rows are read once, for every account, and each converted once: the company tiers need them
    all, and the view's are among them."""
    s = uow.session
    where = scope.accounts_where(uow, person, filters)
    in_view = select(Account.id).where(*where)
    accounts = s.execute(select(Account.id, Account.name, Account.account_type, Account.owner,
                                *[getattr(Account, c) for c in CRITERIA]).where(*where)).all()
    years = sorted(s.scalars(select(AccountRevenue.year).where(AccountRevenue.account_id.in_(in_view)).distinct()),
                   reverse=True)
    today = ctx.clock().date()
    year = filters.year or (years[0] if years else today.year)
    base, to_base = base_currency(), once(converter(s, today))
    everyone = year_revenues(s, year)             # the company tier ranks every account's; the view's are among them
    company = tiers((), everyone, to_base, year)  # `company_tiers`: the same rows, conversion and rule
    by_id = {a.id: a for a in accounts}
    recorded = {r.account_id: (Decimal(r.amount), r.currency) for r in everyone if r.account_id in by_id}
    converted = {a.id: to_base(*recorded[a.id], year) if a.id in recorded else Decimal(0) for a in accounts}
    ranking = pareto.rank(converted.items())
    rows = []
    for r in ranking.rows:
        a = by_id[r.key]
        amount, currency = recorded.get(a.id, (None, None))
        rows.append(PortfolioRow(a.id, a.name, a.account_type, a.owner, r.rank, r.amount, amount, currency,
                                 r.share, r.cumulative, r.tier,
                                 qualification_score({c: getattr(a, c) for c in CRITERIA}), company.get(a.id, "C")))
    return Portfolio(year, years, base, rows, ranking.total, ranking.top_count, ranking.top_share)


def once(to_base: Callable[[Decimal, str, int], Decimal | None]) -> Callable[[Decimal, str, int], Decimal | None]:
    """`to_base` computing each amount once in this call: the company tiers and the view convert
    the same rows (all 10,000 when the view holds every account). Keyed by the amount's text, so
    100 and 100.00 stay apart as they would be converted apart."""
    done: dict[tuple[str, str, int], Decimal | None] = {}

    def converted(amount, currency: str, year: int) -> Decimal | None:
        key = (str(amount), currency, year)
        if key not in done:
            done[key] = to_base(amount, currency, year)
        return done[key]
    return converted


def portfolio(ctx, uow, username: str, filters: Filters) -> Portfolio:
    return ranked_accounts(ctx, uow, scope.viewer(uow, username), filters)
