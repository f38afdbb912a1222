"""The 80/20 chart with a bounded number of marks: up to `GROUPS` accounts, a bar per account
(named); beyond, the ranking cut into `GROUPS` runs of consecutive ranks, a bar per run (its
accounts' revenue together) and the cumulative share at each run's last account - the very
points of the Pareto curve at those ranks. At 10,000 accounts a bar each is 10,000 marks no one
can read, and an SVG that grows with the company."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from . import svg

GROUPS = 20                          # at most this many bars: 5% of the ranked accounts each


@dataclass(frozen=True)
class Group:
    first: int                       # ranks, 1-based, both included
    last: int
    revenue: float                   # of the accounts ranked first..last together
    cumulative: float                # the share reached at rank `last`, 0-1


def groups(revenues: list[float], cumulative: list[float], count: int = GROUPS) -> list[Group]:
    """Consecutive ranks in `count` runs as equal as whole accounts allow (sizes differ by at
    most one); fewer accounts than `count`: one run each."""
    n = len(revenues)
    bounds = [i * n // count for i in range(count + 1)] if n > count else list(range(n + 1))
    return [Group(lo + 1, hi, sum(revenues[lo:hi]), cumulative[hi - 1]) for lo, hi in zip(bounds, bounds[1:])]


def chart(report) -> Markup:
    revenues, cumulative, names = [], [], []
    for r in report.rows:                # one pass, keeping no row: the report names each as it is read
        if r.rank is not None:
            revenues.append(float(r.revenue or 0))
            cumulative.append(float(r.cumulative or 0))
            if len(names) <= GROUPS:
                names.append(r.name)
    found = groups(revenues, cumulative)
    if len(revenues) <= GROUPS:
        title = _("Revenue %(year)s by account, with the cumulative share", year=report.year)
        labels = names
    else:
        title = _("Revenue %(year)s of the %(n)s ranked accounts in %(groups)s groups of consecutive ranks, with "
                  "the cumulative share", year=report.year, n=len(revenues), groups=len(found))
        labels = [str(g.first) if g.first == g.last else f"{g.first}–{g.last}" for g in found]
    return svg.render(svg.Chart(title, labels, [g.revenue for g in found],
                                _("Revenue (%(currency)s)", currency=report.base), [g.cumulative for g in found],
                                _("Cumulative share"), _("Accounts by revenue rank")))
