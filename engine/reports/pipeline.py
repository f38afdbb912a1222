"""Report (b): open key-account projects by the step they wait at and by their account's tier,
with value: the project's stored deal size in the base currency (`instances.deal_size`, kept by
`engine.usecases.committee`): once the committee step began, the amount its voting rule used -
the figure the committee saw - and before that the latest project-form budget at the rate of the
day it was answered. No budget, or no rate then: no value. A project waiting at several steps at
once counts once at each; a project at no user task (waiting for a timer) counts at its recorded
stage. Tiers are the company tiers the account list shows (`engine.workspace.tiers`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, select

from ..db.schema import Instance, Task
from ..workspace.currency import base_currency, rates
from ..workspace.tiers import company_tiers
from . import scope
from .filters import Filters
from .money import in_base


@dataclass
class PipelineRow:
    step: str
    name: str
    tier: str | None                     # None: the project has no account
    projects: int = 0
    value: Decimal = Decimal(0)          # of the projects with a value
    without_value: int = 0               # projects with no budget, or no rate for its currency
    instance_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Pipeline:
    base: str
    rows: list[PipelineRow]


def pipeline(ctx, uow, username: str, filters: Filters) -> Pipeline:
    s = uow.session
    person = scope.viewer(uow, username)
    where = [Instance.status == "running", *scope.projects_where(ctx, uow, person, filters),
             *scope.between(Instance.created_at, filters)]
    found = s.execute(select(Instance.id, Instance.account_id, Instance.stage, Instance.deal_size,
                             Instance.deal_currency, Task.bpmn_id, Task.name)
                      .outerjoin(Task, and_(Task.instance_id == Instance.id, Task.state == "open"))
                      .where(*where).order_by(Task.created_at)).all()    # one pass, never the workflow state
    projects = {row.id: row for row in found}.values()
    steps: dict[str, dict[str, str]] = {i.id: {} for i in projects}
    for row in found:
        if row.bpmn_id is not None:
            steps[row.id].setdefault(row.bpmn_id, row.name)
    base, table, today = base_currency(), rates(s), ctx.clock().date()
    tiers = company_tiers(s, today)
    values = {i.id: in_base(i.deal_size, i.deal_currency, base, table, today) if i.deal_size is not None else None
              for i in projects}           # stored in the base; converted only if an admin changed the base
    rows: dict[tuple[str, str | None], PipelineRow] = {}
    for inst in projects:
        tier = tiers.get(inst.account_id) if inst.account_id else None
        for step, name in (steps[inst.id] or {"": inst.stage}).items():
            row = rows.setdefault((step, tier), PipelineRow(step, name, tier))
            row.projects += 1
            row.instance_ids.append(inst.id)
            if values.get(inst.id) is None:
                row.without_value += 1
            else:
                row.value += values[inst.id]
    order = {"A": 0, "B": 1, "C": 2, None: 3}
    return Pipeline(base, sorted(rows.values(), key=lambda r: (r.name, order.get(r.tier, 3))))
