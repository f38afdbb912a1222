"""Report (b): open key-account projects by the step they wait at and by their account's tier,
with value: the budget the rep entered on the project form (`project.budget_amount`, its latest
answer), in the base currency at today's rate; no budget or no rate: no value. A project waiting
at several steps at once counts once at each; a project at no user task (waiting for a timer)
counts at its recorded stage. Tiers are the company tiers the account list shows
(`engine.workspace.tiers`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from .. import auditlog
from ..db.schema import AuditEvent, Instance, Task
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


def budgets(session, instance_ids: list[str]) -> dict[str, tuple[object, str | None]]:
    """Each project's latest budget answer: (amount, currency) from the project form's history."""
    found: dict[str, tuple[object, str | None]] = {}
    if not instance_ids:
        return found
    events = list(session.scalars(select(AuditEvent).where(
        AuditEvent.instance_id.in_(instance_ids), AuditEvent.kind == "completed").order_by(AuditEvent.id)))
    data = auditlog.payloads(session, [e.id for e in events])
    for e in events:
        for value in (data.get(e.id) or {}).values():
            if isinstance(value, dict) and isinstance(value.get("budget_amount"), (int, float)):
                found[e.instance_id] = (value["budget_amount"], value.get("budget_currency"))
    return found


def pipeline(ctx, uow, username: str, filters: Filters) -> Pipeline:
    s = uow.session
    person = scope.viewer(uow, username)
    projects = list(s.scalars(select(Instance).where(
        Instance.status == "running", *scope.projects_where(ctx, uow, person, filters),
        *scope.between(Instance.created_at, filters))))
    ids = [i.id for i in projects]
    steps: dict[str, dict[str, str]] = {i: {} for i in ids}
    if ids:
        for instance_id, step, name in s.execute(select(Task.instance_id, Task.bpmn_id, Task.name).where(
                Task.instance_id.in_(ids), Task.state == "open").order_by(Task.created_at)):
            steps[instance_id].setdefault(step, name)
    base, table, today = base_currency(), rates(s), ctx.clock().date()
    tiers = company_tiers(s, today)
    values = {i: in_base(amount, currency, base, table, today) for i, (amount, currency) in budgets(s, ids).items()}
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
