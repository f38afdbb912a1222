"""Cycle time kept by account type (migration 0042) and the projects kept by month and bucket
(0043), on both databases: after work, a return, a withdrawal, a rewind, hand edits, an account's
type changed, a project moved to another account or to none, a project deleted, a change rolled
back and an upgrade, the kept counts are a recount of the rows, and the committee's report for each
type is the one read from the activations and the pure definition's, exactly."""
from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, update

from engine.db.cycle_summaries import (CycleProject, CycleProjectMonth, CycleStep, CycleTypeDurationMonth,
                                       CycleTypeStepMonth)
from engine.db.schema import Instance, Task
from engine.db.workspace import Account
from engine.demo import complete_open, to_committee, to_manager_review
from engine.reports import buckets, cycle, scope
from engine.reports.kept_period import month
from engine.reports.durations import end_to_end_spread, step_times
from engine.reports.filters import parse

from ..migrations import down_and_up
from .test_cycle_periods import PERIODS, months  # noqa: F401 (a fixture)
from .test_cycle_summaries import in_view, projects  # noqa: F401 (a fixture)

TYPES = ("national", "global", "regional")


def kept(eng) -> dict:
    """The kept type month counts (summed over the shards; counts fallen to 0 left out) and each
    project's type."""
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        steps = Counter()
        for r in s.scalars(select(CycleTypeStepMonth)):
            assert len(r.shard) == 1                  # the project id's first hex digit
            for i, n in enumerate((r.activations, r.open_count, r.rewound, r.cancelled, r.returns)):
                steps[(r.process_id, r.account_type, r.bpmn_id, r.month, i)] += n
        durations = {(r.process_id, r.account_type, r.bpmn_id, r.month, r.bucket): r.completed
                     for r in s.scalars(select(CycleTypeDurationMonth)) if r.completed}
        types = dict(s.execute(select(CycleProject.instance_id, CycleProject.account_type)).all())
        ends = Counter()
        for r in s.scalars(select(CycleProjectMonth)):
            assert len(r.shard) == 1
            ends[(r.process_id, r.account_type, r.month, r.bucket)] += r.projects
    return {"steps": {k: n for k, n in steps.items() if n}, "durations": durations, "types": types,
            "ends": {k: n for k, n in ends.items() if n}}


def recounted(eng) -> dict:
    """What they should hold, counted from each project's kept steps and its completed task rows,
    with its account's type now."""
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        type_of = {iid: kind or "" for iid, kind in s.execute(
            select(Instance.id, Account.account_type).outerjoin(Account, Account.id == Instance.account_id))}
        process = dict(s.execute(select(Instance.id, Instance.process_id)).all())
        steps = Counter()
        for r in s.scalars(select(CycleStep)):
            for i, n in enumerate((r.activations, r.open_count, r.rewound, r.cancelled, r.returns)):
                steps[(r.process_id, type_of[r.instance_id], r.bpmn_id, month(r.first_opened), i)] += n
        durations = Counter((process[iid], type_of[iid], step, month(opened), buckets.bucket(took))
                            for iid, step, opened, took in s.execute(
                                select(Task.instance_id, Task.bpmn_id, Task.created_at, Task.duration_us)
                                .where(Task.duration_us.is_not(None))))
        types = {iid: type_of[iid] for iid in s.scalars(select(CycleProject.instance_id))}
        ends = Counter((r.process_id, type_of[r.instance_id], month(r.first_opened),
                        buckets.bucket(r.took_us) if r.took_us is not None else -1)
                       for r in s.scalars(select(CycleProject)))
    return {"steps": {k: n for k, n in steps.items() if n}, "durations": dict(durations), "types": types,
            "ends": dict(ends)}


def assert_each_type_reads_the_pure_figures(eng, periods=({},)):
    assert kept(eng) == recounted(eng)
    for kind in TYPES:
        for period in periods:
            raw = {"account_type": kind, **period}
            filters = parse(raw)
            report, rows = eng.reports.cycle_time("col", raw), in_view(eng, "col", filters)
            assert {s.step: s for s in report.steps} == {s.step: s for s in step_times(rows)}, raw
            assert report.end_to_end == end_to_end_spread(rows), raw
            assert report.projects == len({a.instance_id for a in rows}), raw
            with eng.ctx.uow(read_only=True) as uow:
                assert report == cycle.from_activations(eng.ctx, uow, scope.viewer(uow, "col"), filters), raw


def _new_account(eng, kind: str) -> str:
    account_id = str(uuid.uuid4())
    with eng.ctx.uow() as uow:
        uow.session.execute(insert(Account).values(id=account_id, name=f"A {kind} account", account_type=kind,
                                                   owner="amy"))
    return account_id


def _move(eng, project: str, account_id: str | None):
    with eng.ctx.uow() as uow:
        uow.session.execute(update(Instance).where(Instance.id == project).values(account_id=account_id))


@pytest.fixture
def typed(projects, kam_eng):  # noqa: F811 (the fixture imported above)
    """The three projects of `projects` (on the demo's national account) and two more, one finished,
    spread over a global and a regional account."""
    finished = to_committee(kam_eng, "amy", "Finished")
    for step in ("committee_vote", "authorisation"):
        complete_open(kam_eng, finished, step)
    waiting = to_manager_review(kam_eng, "amy", "Waiting")
    accounts = {kind: _new_account(kam_eng, kind) for kind in ("global", "regional")}
    _move(kam_eng, finished, accounts["global"])
    _move(kam_eng, projects[0], accounts["global"])
    _move(kam_eng, waiting, accounts["regional"])
    return [*projects, finished, waiting], accounts


def test_each_type_reads_the_pure_figures_over_its_own_projects(typed, kam_eng):
    assert_each_type_reads_the_pure_figures(kam_eng)
    counted = kept(kam_eng)
    assert {key[1] for key in counted["steps"]} == set(TYPES)
    assert {key[1] for key in counted["durations"]} == set(TYPES)


def test_an_account_retyped_moves_its_projects_figures(typed, kam_eng):
    _projects, accounts = typed
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Account).where(Account.id == accounts["global"]).values(account_type="regional"))
    assert_each_type_reads_the_pure_figures(kam_eng)
    assert "global" not in {key[1] for key in kept(kam_eng)["steps"]}


def test_a_project_moved_to_another_account_or_to_none_moves_its_figures(typed, kam_eng):
    projects, accounts = typed
    _move(kam_eng, projects[3], accounts["regional"])
    assert_each_type_reads_the_pure_figures(kam_eng)
    _move(kam_eng, projects[2], None)
    assert_each_type_reads_the_pure_figures(kam_eng)
    assert "" in {key[1] for key in kept(kam_eng)["steps"]}


def test_a_deleted_project_takes_its_figures_out(typed, kam_eng):
    projects, _accounts = typed
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(delete(Instance).where(Instance.id == projects[3]))
    assert_each_type_reads_the_pure_figures(kam_eng)


def test_hand_edits_and_more_work_keep_the_type_figures(typed, kam_eng):
    projects, _accounts = typed
    with kam_eng.ctx.uow() as uow:
        done = uow.session.scalars(select(Task).where(Task.duration_us.is_not(None)).order_by(Task.id)).all()
        uow.session.execute(update(Task).where(Task.id == done[0].id).values(
            closed_at=done[0].closed_at + timedelta(hours=5, microseconds=7)))
        uow.session.execute(update(Task).where(Task.id == done[1].id).values(instance_id=projects[4]))
        uow.session.execute(delete(Task).where(Task.id == done[2].id))
    assert_each_type_reads_the_pure_figures(kam_eng)
    complete_open(kam_eng, projects[0], "committee_vote", "return")
    complete_open(kam_eng, projects[4], "manager_review")
    assert_each_type_reads_the_pure_figures(kam_eng)


def test_a_change_rolled_back_leaves_the_type_figures_as_they_were(typed, kam_eng):
    _projects, accounts = typed
    before = kept(kam_eng)
    with pytest.raises(RuntimeError), kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Account).where(Account.id == accounts["regional"]).values(account_type="global"))
        uow.session.execute(update(Instance).values(account_id=accounts["regional"]))
        uow.session.flush()
        raise RuntimeError("the step failed after its writes")
    assert kept(kam_eng) == before == recounted(kam_eng)


@pytest.fixture
def typed_months(months):  # noqa: F811 (the fixture imported above)
    """test_cycle_periods' projects spread over February to June, on accounts of each type."""
    with months.ctx.uow(read_only=True) as uow:
        ids = uow.session.scalars(select(Instance.id).order_by(Instance.number)).all()
    accounts = {kind: _new_account(months, kind) for kind in ("global", "regional")}
    for iid, kind in zip(ids, ("global", "national", "regional", "global", "regional")):
        if kind != "national":
            _move(months, iid, accounts[kind])
    return months, accounts


def test_each_type_with_a_period_reads_the_pure_figures_over_its_activations_opened_in_it(typed_months):
    eng, accounts = typed_months
    assert_each_type_reads_the_pure_figures(eng, list(PERIODS.values()))
    with eng.ctx.uow() as uow:
        uow.session.execute(update(Account).where(Account.id == accounts["global"]).values(account_type="national"))
    assert_each_type_reads_the_pure_figures(eng, [PERIODS["two whole months and two partial ones"],
                                                  PERIODS["since mid-March"]])


def test_upgrading_from_0041_fills_the_type_figures_and_the_reports_are_unchanged(typed, kam_eng):
    recorded = kept(kam_eng)
    reports = {kind: kam_eng.reports.cycle_time("col", {"account_type": kind}) for kind in TYPES}
    down_and_up(kam_eng.db, "0041")
    assert kept(kam_eng) == recorded == recounted(kam_eng)
    assert {kind: kam_eng.reports.cycle_time("col", {"account_type": kind}) for kind in TYPES} == reports


def test_upgrading_to_0043_counts_each_project_by_month_and_the_period_reports_are_unchanged(typed_months):
    eng, _accounts = typed_months
    recorded = kept(eng)
    assert recorded["ends"] and any(bucket == -1 for *_key, bucket in recorded["ends"])
    periods = [{**period, **kind} for period in PERIODS.values() for kind in ({}, {"account_type": "global"})]
    reports = [eng.reports.cycle_time("col", raw) for raw in periods]
    down_and_up(eng.db, "0042")
    assert kept(eng) == recorded == recounted(eng)
    assert [eng.reports.cycle_time("col", raw) for raw in periods] == reports
