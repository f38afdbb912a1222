"""The cycle-time summaries the database keeps (migration 0027) on both databases: after every way a
task row changes - completion, a return loop, a withdrawal, an admin rewind, a hand edit, a row copied
in or deleted around the engine, migrations 0027 and 0028 filling them - they are a recount of the task rows by the
pure definition (engine/reports/durations.py), and the committee's report read from them is the one
read from the activations and the pure definition's, exactly."""
from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, text, update

from engine.db.connect import MIGRATIONS
from engine.db.cycle_summaries import CycleDuration, CycleDurationMonth, CycleProject, CycleStep, CycleStepMonth
from engine.db.cycle_summaries import CycleStepTotal
from engine.db.schema import Instance, Task
from engine.demo import complete_open, to_committee, to_manager_review
from engine.reports import buckets, cycle, kept_period, scope
from engine.reports.durations import COMPLETED, OPEN, Activation, _returns, end_to_end, end_to_end_spread
from engine.reports.durations import microseconds, step_times
from engine.reports.filters import Filters

from ..migrations import down_and_up


def migration_0027():
    spec = importlib.util.spec_from_file_location("m0027", MIGRATIONS / "versions" / "0027_cycle_summaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kept(eng) -> dict:
    """Every kept summary row, zero totals and empty buckets left out (a count that fell to zero)."""
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        steps = {(r.instance_id, r.bpmn_id): (r.process_id, r.name, r.first_opened, r.last_opened, r.activations,
                                              r.open_count, r.rewound, r.cancelled, r.returns)
                 for r in s.scalars(select(CycleStep))}
        totals = Counter()                               # summed over the shards
        for r in s.scalars(select(CycleStepTotal)):
            for i, count in enumerate((r.activations, r.open_count, r.rewound, r.cancelled, r.returns)):
                totals[(r.process_id, r.bpmn_id, i)] += count
        totals = {(p, step): tuple(totals[(p, step, i)] for i in range(5)) for p, step, _i in totals}
        shards = {(r.instance_id[:2], r.bpmn_id) for r in s.scalars(select(CycleStep))}
        assert shards == {(r.shard, r.bpmn_id) for r in s.scalars(select(CycleStepTotal)) if r.activations}
        projects = {r.instance_id: (r.process_id, r.first_opened, r.last_opened, r.took_us)
                    for r in s.scalars(select(CycleProject))}
        durations = {(r.process_id, r.bpmn_id, r.bucket): r.completed for r in s.scalars(select(CycleDuration))}
        months = Counter()                                # summed over the shards
        for r in s.scalars(select(CycleStepMonth)):
            for i, count in enumerate((r.activations, r.open_count, r.rewound, r.cancelled, r.returns)):
                months[(r.process_id, r.bpmn_id, r.month, i)] += count
        months = {(p, step, m): tuple(months[(p, step, m, i)] for i in range(5)) for p, step, m, _i in months}
        month_durations = {(r.process_id, r.bpmn_id, r.month, r.bucket): r.completed
                           for r in s.scalars(select(CycleDurationMonth))}
    return {"steps": steps, "totals": {k: v for k, v in totals.items() if any(v)}, "projects": projects,
            "durations": {k: v for k, v in durations.items() if v},
            "months": {k: v for k, v in months.items() if any(v)},
            "month_durations": {k: v for k, v in month_durations.items() if v}}


def recounted(eng) -> dict:
    """What the summaries should hold, counted in Python from the task rows by the pure definition."""
    with eng.ctx.uow(read_only=True) as uow:
        process = dict(uow.session.execute(select(Instance.id, Instance.process_id)).all())
        tasks = uow.session.scalars(select(Task).order_by(Task.created_at, Task.id)).all()
        rows = [Activation(t.instance_id, t.bpmn_id, t.name, t.created_at, t.closed_at, t.state) for t in tasks]
    by_step: dict[tuple, list[Activation]] = {}
    for a in rows:
        by_step.setdefault((a.instance_id, a.step), []).append(a)
    steps, totals, months = {}, Counter(), Counter()
    for (instance_id, step), acts in by_step.items():
        counts = (len(acts), sum(a.state == OPEN for a in acts), sum(a.state == "rewound" for a in acts),
                  sum(a.state == "cancelled" for a in acts), _returns(acts))
        steps[(instance_id, step)] = (process[instance_id], acts[-1].name, acts[0].opened, acts[-1].opened, *counts)
        for i, c in enumerate(counts):
            totals[(process[instance_id], step, i)] += c
            months[(process[instance_id], step, kept_period.month(acts[0].opened), i)] += c
    whole = end_to_end(rows)
    projects = {a.instance_id: (process[a.instance_id], min(b.opened for b in rows if b.instance_id == a.instance_id),
                                max(b.opened for b in rows if b.instance_id == a.instance_id),
                                round(whole[a.instance_id] * 1_000_000) if a.instance_id in whole else None)
                for a in rows}
    completed = [a for a in rows if a.state == COMPLETED and a.closed is not None]
    durations = Counter((process[a.instance_id], a.step, buckets.bucket(microseconds(a.opened, a.closed)))
                        for a in completed)
    month_durations = Counter((process[a.instance_id], a.step, kept_period.month(a.opened),
                               buckets.bucket(microseconds(a.opened, a.closed))) for a in completed)
    summed = {(p, s): tuple(totals[(p, s, i)] for i in range(5)) for p, s, _i in totals}
    by_month = {(p, s, m): tuple(months[(p, s, m, i)] for i in range(5)) for p, s, m, _i in months}
    return {"steps": steps, "totals": {k: v for k, v in summed.items() if any(v)}, "projects": projects,
            "durations": dict(durations), "months": {k: v for k, v in by_month.items() if any(v)},
            "month_durations": dict(month_durations)}


def activations(eng) -> list[Activation]:
    with eng.ctx.uow(read_only=True) as uow:
        return [Activation(t.instance_id, t.bpmn_id, t.name, t.created_at, t.closed_at, t.state)
                for t in uow.session.scalars(select(Task).order_by(Task.created_at, Task.id))]


def from_activations(eng, username: str):
    with eng.ctx.uow(read_only=True) as uow:
        return cycle.from_activations(eng.ctx, uow, scope.viewer(uow, username), Filters())


def assert_the_committee_reads_the_pure_figures(eng):
    report, rows = eng.reports.cycle_time("col"), activations(eng)
    assert {s.step: s for s in report.steps} == {s.step: s for s in step_times(rows)}
    assert report.end_to_end == end_to_end_spread(rows) and report.projects == len({a.instance_id for a in rows})
    assert report == from_activations(eng, "col")                    # the same list, in the same order


@pytest.fixture
def projects(kam_eng):
    """A returned project now at the committee, a withdrawn one, a rewound one, one finished."""
    returned = to_manager_review(kam_eng, "amy", "Returned once")
    complete_open(kam_eng, returned, "manager_review", "return")
    complete_open(kam_eng, returned, "proposal")
    complete_open(kam_eng, returned, "manager_review")
    withdrawn = to_manager_review(kam_eng, "amy", "Withdrawn")
    kam_eng.withdraw(withdrawn, "amy", "customer postponed")
    rewound = to_committee(kam_eng, "amy", "Rewound")
    kam_eng.admin.rewind(rewound, "zed", "proposal")
    return [returned, withdrawn, rewound]


def test_the_summaries_are_a_recount_after_returns_withdrawals_and_rewinds(projects, kam_eng):
    summaries = kept(kam_eng)
    assert summaries == recounted(kam_eng)
    assert sum(v[4] for v in summaries["totals"].values()) >= 1           # the return was counted
    assert {v[2] for v in summaries["totals"].values()} != {0} and {v[3] for v in summaries["totals"].values()} != {0}
    assert_the_committee_reads_the_pure_figures(kam_eng)


def test_the_summaries_follow_rows_written_around_the_engine(projects, kam_eng):
    """A hand edit of a row's times, a row opened again, a row copied in as the big-database seeder
    copies rows, a row moved to another step, and a row deleted: each keeps the recount."""
    edits = [
        lambda s, done: s.execute(update(Task).where(Task.id == done[0].id).values(
            closed_at=done[0].closed_at + timedelta(hours=5, microseconds=7))),
        lambda s, done: s.execute(update(Task).where(Task.id == done[1].id).values(state="open", closed_at=None)),
        lambda s, done: s.execute(Task.__table__.insert().values(
            {**{c.name: getattr(done[2], c.name) for c in Task.__table__.columns}, "id": "copied",
             "created_at": done[2].closed_at + timedelta(days=2, microseconds=3),
             "closed_at": done[2].closed_at + timedelta(days=3)})),
        lambda s, done: s.execute(update(Task).where(Task.id == done[3].id).values(bpmn_id="customer_info", name="Customer information")),
        lambda s, done: s.execute(delete(Task).where(Task.id == done[4].id)),
    ]
    for edit in edits:
        with kam_eng.ctx.uow() as uow:
            done = uow.session.scalars(select(Task).where(Task.state == COMPLETED).order_by(Task.id)).all()
            edit(uow.session, done)
        assert kept(kam_eng) == recounted(kam_eng)
    assert_the_committee_reads_the_pure_figures(kam_eng)


def test_a_change_rolled_back_leaves_the_summaries_as_they_were(projects, kam_eng):
    before = kept(kam_eng)
    with pytest.raises(RuntimeError), kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Task).values(state="cancelled", closed_at=None))
        uow.session.flush()
        raise RuntimeError("the step failed after its writes")
    assert kept(kam_eng) == before == recounted(kam_eng)


def test_more_work_after_the_summaries_were_read_keeps_them_right(projects, kam_eng):
    assert_the_committee_reads_the_pure_figures(kam_eng)
    complete_open(kam_eng, projects[0], "committee_vote", "return")         # back to the proposal
    complete_open(kam_eng, projects[2], "proposal")
    assert kept(kam_eng) == recounted(kam_eng)
    assert_the_committee_reads_the_pure_figures(kam_eng)


@pytest.mark.parametrize("value", [-5, 0, 9, 10, 11, 99, 100, 12_345, 99_999_999, 10 ** 12 + 7, 2 ** 63 - 1])
def test_the_database_buckets_a_time_as_the_pure_rule_does(kam_eng, value):
    statement = text(migration_0027().BUCKET_OF)
    with kam_eng.ctx.uow(read_only=True) as uow:
        assert uow.session.scalar(statement, {"d": value}) == buckets.bucket(value)


def test_upgrading_to_0027_and_on_fills_the_summaries_and_the_reports_are_unchanged(db_url):
    from engine import Engine, demo
    from engine.db.connect import make_engine

    from ..conftest import ROOT
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        eng.deploy(ROOT / "workflows")
        demo.create_users(eng)
        returned = to_committee(eng, "amy", "Returned by the committee")
        complete_open(eng, returned, "committee_vote", "return")
        eng.withdraw(to_manager_review(eng, "amy", "Withdrawn"), "amy", "customer postponed")
        recorded, report = kept(eng), eng.reports.cycle_time("col")
        period = {"since": (date.today() - timedelta(days=1)).isoformat()}
        report_of_period = eng.reports.cycle_time("col", period)
    finally:
        eng.close()
    db = make_engine(db_url)
    down_and_up(db, "0026")                         # the summaries dropped, then made and filled (0027, 0028)
    db.dispose()
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        assert kept(eng) == recorded == recounted(eng) and eng.reports.cycle_time("col") == report
        assert eng.reports.cycle_time("col", period) == report_of_period
        assert len(recorded["steps"]) >= 5 and recorded["durations"] and recorded["totals"] and recorded["months"]
    finally:
        eng.close()


def in_view(eng, username: str, filters: Filters) -> list[Activation]:
    """The activations the pure definition counts for this view: its projects', opened in the period."""
    with eng.ctx.uow(read_only=True) as uow:
        person = scope.viewer(uow, username)
        ids = set(uow.session.scalars(select(Instance.id).where(*scope.projects_where(eng.ctx, uow, person, filters))))
    return [a for a in activations(eng) if a.instance_id in ids
            and (filters.starts is None or a.opened >= filters.starts) and (filters.ends is None or a.opened < filters.ends)]


@pytest.mark.parametrize("username, raw", [("bob", {}), ("amy", {}), ("col", {"department": "north"}),
                                           ("col", {"rep": "amy"}), ("bob", {"since": "2000-01-01"}),
                                           ("col", {"until": "2999-12-31"})])
def test_every_view_reads_the_pure_figures_over_its_own_activations(projects, kam_eng, username, raw):
    """A narrower view, or any period, reads its activations: the pure definition's figures over them."""
    from engine.reports.filters import parse
    complete_open(kam_eng, projects[2], "proposal")
    rows, report = in_view(kam_eng, username, parse(raw)), kam_eng.reports.cycle_time(username, raw)
    assert rows and {s.step: s for s in report.steps} == {s.step: s for s in step_times(rows)}
    assert report.end_to_end == end_to_end_spread(rows) and report.projects == len({a.instance_id for a in rows})
