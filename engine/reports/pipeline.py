"""Report (b): open key-account projects by the step they wait at and by their account's tier,
with value: the project's stored deal size in the base currency (`instances.deal_size`, kept by
`engine.usecases.committee`): once the committee step began, the amount its voting rule used -
the figure the committee saw - and before that the latest project-form budget at the rate of the
day it was answered. No budget, or no rate then: no value. A project waiting at several steps at
once counts once at each (twice at one step, once there); a project at no user task (waiting for a
timer) counts at its recorded stage. Tiers are the company tiers the account list shows
(`engine.workspace.tiers`).

The database groups: one statement answers a row per step, stage, tier (and per project whose deal
size is kept in another base, which only Python's rule converts); values are summed as whole
hundredths, exact on both databases; a step is named by the least of its tasks' names (one name a step in
practice; before, by the earliest task's). Where the database cannot rank the tiers exactly
(`tiers.ranked_select` is None) it groups by account instead and the tiers are applied to the groups."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, and_, case, cast, func, literal_column, null, select

from ..db.schema import Instance, Task
from ..db.workspace import Account
from ..workspace.currency import base_currency, rates
from ..workspace.tiers import company_tiers, latest_revenue_year, ranked_select
from . import scope
from .filters import Filters
from .money import in_base

ORDER = {"A": 0, "B": 1, "C": 2, None: 3}
C = literal_column("'C'")


@dataclass
class PipelineRow:
    step: str                            # "": at no user task; `name` is then the recorded stage
    name: str
    tier: str | None                     # None: the project has no account
    projects: int = 0
    value: Decimal = Decimal(0)          # of the projects with a value
    without_value: int = 0               # projects with no budget, or no rate for its currency


@dataclass(frozen=True)
class Pipeline:
    base: str
    rows: list[PipelineRow]


def pipeline(ctx, uow, username: str, filters: Filters) -> Pipeline:
    s, base, today = uow.session, base_currency(), ctx.clock().date()
    person = scope.viewer(uow, username)
    year = latest_revenue_year(s)
    ranked = ranked_select(s, year, today) if year is not None else None
    exact = ranked is not None or year is None
    ranked = ranked.subquery() if ranked is not None else None
    # one row per project and step it waits at (its stage when at none)
    at = (select(Instance.id, Instance.account_id, Instance.deal_size, Instance.deal_currency,
                 func.coalesce(Task.bpmn_id, "").label("step"),
                 func.coalesce(func.min(Task.name), Instance.stage).label("name"))
          .outerjoin(Task, and_(Task.instance_id == Instance.id, Task.state == "open"))
          .where(Instance.status == "running", *scope.projects_where(ctx, uow, person, filters),
                 *scope.between(Instance.created_at, filters))
          .group_by(Task.bpmn_id, Instance.id).subquery())    # step first: by id, SQLite reads instance rows
    if not exact:
        label, joined = at.c.account_id, at
    else:
        joined = at.outerjoin(Account, Account.id == at.c.account_id)
        tier = C if ranked is None else func.coalesce(ranked.c.tier, C)
        label = case((Account.id.is_(None), null()), else_=tier)    # constants, so GROUP BY repeats the SELECT
        if ranked is not None:
            joined = joined.outerjoin(ranked, ranked.c.account_id == at.c.account_id)
    kept = func.coalesce(at.c.deal_currency, base) == base
    apart = case((and_(at.c.deal_size.is_not(None), ~kept), at.c.id))    # converted one by one
    stage = case((at.c.step == "", at.c.name))
    found = s.execute(
        select(at.c.step, func.min(at.c.name), label.label("tier"), func.count(),
               func.sum(case((kept, cast(func.round(at.c.deal_size * 100), BigInteger)))),
               func.count(case((at.c.deal_size.is_(None), 1))),
               func.min(at.c.deal_currency), func.min(at.c.deal_size))
        .select_from(joined).group_by(at.c.step, stage, label, apart)).all()
    tiers = None if exact else company_tiers(s, today, year)
    table = rates(s) if any(size is not None and (currency or base) != base for *_, currency, size in found) else []
    rows: dict[tuple, PipelineRow] = {}
    for step, name, label, projects, hundredths, missing, currency, size in found:
        tier = label if tiers is None else (tiers.get(label) if label else None)
        row = rows.setdefault((step, name if step == "" else None, tier), PipelineRow(step, name, tier))
        row.name = min(row.name, name)
        row.projects, row.without_value = row.projects + projects, row.without_value + missing
        if hundredths is not None:
            row.value += Decimal(int(hundredths)).scaleb(-2)
        elif size is not None and (currency or base) != base:                # one project: Python's rule
            value = in_base(size, currency, base, table, today)
            if value is None:
                row.without_value += 1
            else:
                row.value += value
    return Pipeline(base, sorted(rows.values(), key=lambda r: (r.name, ORDER.get(r.tier, 3), r.step)))
