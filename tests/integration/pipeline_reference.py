"""The pipeline grouped the way it was before the database grouped it (main at 5550b9a): every
project's open steps read and grouped row by row in Python, each row keeping its projects' ids.
The one change: projects at no user task are grouped by their recorded stage, as the report's
docstring always said (the old code put them all under the first such project's stage).
The tests hold the report to it, and read from it which projects a row counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, select

from engine.db.schema import Instance, Task
from engine.reports import filters as report_filters
from engine.reports import scope
from engine.workspace.currency import base_currency, in_base, rates
from engine.workspace.tiers import company_tiers


@dataclass
class Row:
    step: str
    name: str
    tier: str | None
    projects: int = 0
    value: Decimal = Decimal(0)
    without_value: int = 0
    instance_ids: list[str] = field(default_factory=list)


def grouped_in_python(eng, username: str, raw: dict | None = None) -> list[Row]:
    filters = report_filters.parse(raw or {})
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        person = scope.viewer(uow, username)
        where = [Instance.status == "running", *scope.projects_where(eng.ctx, uow, person, filters),
                 *scope.between(Instance.created_at, filters)]
        found = s.execute(select(Instance.id, Instance.account_id, Instance.stage, Instance.deal_size,
                                 Instance.deal_currency, Task.bpmn_id, Task.name)
                          .outerjoin(Task, and_(Task.instance_id == Instance.id, Task.state == "open"))
                          .where(*where).order_by(Task.created_at)).all()
        projects = {row.id: row for row in found}.values()
        steps: dict[str, dict[str, str]] = {i.id: {} for i in projects}
        for row in found:
            if row.bpmn_id is not None:
                steps[row.id].setdefault(row.bpmn_id, row.name)
        today = eng.ctx.clock().date()
        tiers = company_tiers(s, today)
        base, table = base_currency(), rates(s)
        rows: dict[tuple, Row] = {}
        for inst in projects:
            tier = tiers.get(inst.account_id) if inst.account_id else None
            for step, name in (steps[inst.id] or {"": inst.stage}).items():
                row = rows.setdefault((step, name if step == "" else None, tier), Row(step, name, tier))
                row.projects += 1
                row.instance_ids.append(inst.id)
                value = inst.deal_size
                if value is not None and (inst.deal_currency or base) != base:
                    value = in_base(value, inst.deal_currency, base, table, today)
                if value is None:
                    row.without_value += 1
                else:
                    row.value += value
    order = {"A": 0, "B": 1, "C": 2, None: 3}
    return sorted(rows.values(), key=lambda r: (r.name, order.get(r.tier, 3), r.step))


def row_counting(eng, username: str, instance_id: str):
    """The report's row that counts `instance_id` (at its first step, as the reference groups it)."""
    ref = next(r for r in grouped_in_python(eng, username) if instance_id in r.instance_ids)
    same = (ref.step, ref.name, ref.tier)
    return next(r for r in eng.reports.pipeline(username).rows if (r.step, r.name, r.tier) == same)
