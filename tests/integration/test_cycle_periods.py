"""Cycle time with a period, for a viewer who sees every project (engine/reports/kept_period.py,
migration 0041): whatever the period - whole months, partial ones, a start or an end only, both in
one month - the report read from what the database keeps is the pure definition's over exactly the
activations opened in it, on both databases, with projects straddling the period's start and end."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine.db.schema import Task
from engine.demo import complete_open, to_committee, to_manager_review
from engine.reports import kept_period, scope
from engine.reports.durations import Activation, end_to_end_spread, step_times
from engine.reports.filters import parse

BASE = datetime(2026, 2, 20, 9, 30, tzinfo=timezone.utc)


def spread_out(eng, projects: list[str]) -> None:
    """Each project's activations, in their order, opened five days apart from its own start
    (projects start eleven days apart), each keeping its time: a project then spans many weeks and
    months, so every period below cuts some of them."""
    with eng.ctx.uow() as uow:
        for k, iid in enumerate(projects):
            tasks = uow.session.scalars(select(Task).where(Task.instance_id == iid)
                                        .order_by(Task.created_at, Task.id)).all()
            for i, task in enumerate(tasks):
                opened = BASE + timedelta(days=11 * k + 5 * i, minutes=i)
                took = task.closed_at - task.created_at if task.closed_at else None
                task.created_at, task.closed_at = opened, (opened + took if took is not None else None)


@pytest.fixture
def months(kam_eng):
    """A returned project now at the committee, a withdrawn one, one returned twice, one at the
    committee with its votes cast, one at the manager: spread over February to June."""
    returned = to_manager_review(kam_eng, "amy", "Returned once")
    complete_open(kam_eng, returned, "manager_review", "return")
    complete_open(kam_eng, returned, "proposal")
    complete_open(kam_eng, returned, "manager_review")
    withdrawn = to_manager_review(kam_eng, "amy", "Withdrawn")
    kam_eng.withdraw(withdrawn, "amy", "customer postponed")
    twice = to_manager_review(kam_eng, "amy", "Returned twice")
    for _ in range(2):
        complete_open(kam_eng, twice, "manager_review", "return")
        complete_open(kam_eng, twice, "proposal")
    voted = to_committee(kam_eng, "amy", "Voted")
    complete_open(kam_eng, voted, "committee_vote")
    waiting = to_manager_review(kam_eng, "amy", "Waiting")
    spread_out(kam_eng, [returned, withdrawn, twice, voted, waiting])
    return kam_eng


def opened_in(eng, raw: dict) -> list[Activation]:
    filters = parse(raw)
    with eng.ctx.uow(read_only=True) as uow:
        rows = uow.session.scalars(select(Task).order_by(Task.created_at, Task.id))
        return [Activation(t.instance_id, t.bpmn_id, t.name, t.created_at, t.closed_at, t.state) for t in rows
                if (filters.starts is None or t.created_at >= filters.starts)
                and (filters.ends is None or t.created_at < filters.ends)]


PERIODS = {
    "since mid-March": {"since": "2026-03-15"},
    "until mid-April": {"until": "2026-04-14"},
    "two whole months and two partial ones": {"since": "2026-02-27", "until": "2026-05-09"},
    "within one month": {"since": "2026-04-03", "until": "2026-04-25"},
    "across one month's end": {"since": "2026-03-20", "until": "2026-04-10"},
    "from a month's first day": {"since": "2026-04-01"},
    "to a month's last day": {"until": "2026-03-31"},
    "whole months only": {"since": "2026-03-01", "until": "2026-04-30"},
    "one day": {"since": "2026-03-27", "until": "2026-03-27"},
    "before everything": {"until": "2026-01-31"},
}


@pytest.mark.parametrize("raw", PERIODS.values(), ids=PERIODS.keys())
def test_a_committee_period_reads_the_pure_figures_over_the_activations_opened_in_it(months, raw):
    rows, everything = opened_in(months, raw), opened_in(months, {})
    report = months.reports.cycle_time("col", raw)
    assert {s.step: s for s in report.steps} == {s.step: s for s in step_times(rows)}
    assert report.end_to_end == end_to_end_spread(rows) and report.projects == len({a.instance_id for a in rows})
    assert len(rows) < len(everything)


def test_the_periods_cut_projects_at_their_start_and_end(months):
    """The periods above test what they claim: some projects straddle a start, some an end."""
    def straddling(raw):
        filters = parse(raw)
        with months.ctx.uow(read_only=True) as uow:
            view = kept_period._View(uow.session, scope.project_process_ids(months.ctx, uow), filters.starts,
                                     filters.ends)
            return uow.session.scalars(select(view.straddling().c.instance_id)).all()
    assert straddling({"since": "2026-03-15"}) and straddling({"until": "2026-04-14"})
    assert len(straddling(PERIODS["across one month's end"])) >= 2
