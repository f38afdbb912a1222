"""Cycle time with a period, for a viewer who sees every project (migration 0038): whichever way the
database reads the activations opened in the period - sought by project, or read by opening time
from `ix_tasks_opened` - the report is the pure definition's over exactly those activations, on
both databases; and SQLite reads a period holding few of them by opening time."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from engine.db.schema import Task
from engine.demo import complete_open, to_committee, to_manager_review
from engine.reports import cycle, scope
from engine.reports.durations import Activation, end_to_end_spread, step_times
from engine.reports.filters import parse

LONG_AGO = timedelta(days=400)


@pytest.fixture
def history(kam_eng):
    """Old work (a return loop, a project at the committee, moved back 400 days) and recent work."""
    old = [to_manager_review(kam_eng, "amy", "Old, returned"), to_committee(kam_eng, "amy", "Old, at committee")]
    complete_open(kam_eng, old[0], "manager_review", "return")
    complete_open(kam_eng, old[0], "proposal")
    with kam_eng.ctx.uow() as uow:
        for task in uow.session.scalars(select(Task).where(Task.instance_id.in_(old))):
            task.created_at -= LONG_AGO
            task.closed_at = task.closed_at - LONG_AGO if task.closed_at else None
    recent = to_manager_review(kam_eng, "amy", "Recent, returned")
    complete_open(kam_eng, recent, "manager_review", "return")
    return kam_eng


def opened_in(eng, raw: dict) -> list[Activation]:
    filters = parse(raw)
    with eng.ctx.uow(read_only=True) as uow:
        rows = uow.session.scalars(select(Task).order_by(Task.created_at, Task.id))
        return [Activation(t.instance_id, t.bpmn_id, t.name, t.created_at, t.closed_at, t.state) for t in rows
                if (filters.starts is None or t.created_at >= filters.starts)
                and (filters.ends is None or t.created_at < filters.ends)]


def recent_days(days: int) -> dict:
    return {"since": (datetime.now(timezone.utc) - timedelta(days=days)).date().isoformat()}


@pytest.mark.parametrize("few", [0.0, 1.0], ids=["sought by project", "read by opening time"])
@pytest.mark.parametrize("raw", [recent_days(30), {"until": (datetime.now(timezone.utc) - timedelta(days=100))
                                                   .date().isoformat()}], ids=["last month", "until 100 days ago"])
def test_a_committee_period_reads_the_pure_figures_whichever_way_it_is_read(history, monkeypatch, few, raw):
    monkeypatch.setattr(cycle, "FEW", few)
    rows, report = opened_in(history, raw), history.reports.cycle_time("col", raw)
    assert rows and len(rows) < len(opened_in(history, {}))
    assert {s.step: s for s in report.steps} == {s.step: s for s in step_times(rows)}
    assert report.end_to_end == end_to_end_spread(rows) and report.projects == len({a.instance_id for a in rows})


def test_a_period_holding_few_of_the_activations_is_read_by_opening_time(history):
    with history.ctx.uow(read_only=True) as uow:
        assert not cycle._few_opened(uow.session, parse(recent_days(1000)))      # every activation
        assert cycle._few_opened(uow.session, parse({"since": "2999-01-01"}))     # none
        if uow.session.bind.dialect.name != "sqlite":
            return                                    # PostgreSQL weighs the two ways by its statistics
        person = scope.viewer(uow, "col")

        def plan(raw: dict) -> str:
            statement = cycle.activations(history.ctx, uow, person, parse(raw))
            sql = str(statement.compile(uow.session.bind, compile_kwargs={"literal_binds": True}))
            return " ".join(row[3] for row in uow.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
        assert "ix_tasks_opened" in plan({"since": "2999-01-01"})
        assert "ix_tasks_opened" not in plan(recent_days(1000)) and "ix_tasks_cycle" in plan(recent_days(1000))
