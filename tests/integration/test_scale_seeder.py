"""`kamflow demo --scale N` on both databases (small N): the shapes issue 12 asks for, a verified
audit log, states the engine can load and move on from, and reports with figures for whoever
may see them. One seeded database per backend for the module; each test uses its own rows."""
from __future__ import annotations

from collections import Counter
from contextlib import ExitStack

import pytest
from sqlalchemy import func, select

from engine import Engine, auditlog
from engine.db.schema import Instance, Notification, ProcessSequence, Task, User
from engine.db.ledger import Activity
from engine.db.workspace import Account, AccountTeamMember, Contact
from engine.demo import PROCESS, answer
from engine.invariants import ensure_progress
from engine.reports import durations
from engine.reports.durations import Activation
from engine.scale import seed, shape
from engine.spiff import Runtime
from engine.workspace import ledger
from engine.usecases import calls

from ..conftest import ROOT, pg_schema_url
from .pipeline_reference import grouped_in_python

N = 300


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory):
    """(url, summary) of a database seeded with N projects."""
    with ExitStack() as stack:
        url = (f"sqlite:///{tmp_path_factory.mktemp('scale') / 'big.db'}" if request.param == "sqlite"
               else stack.enter_context(pg_schema_url()))
        eng = Engine(url, forms_dir=ROOT / "forms")
        summary = seed(eng, N, seed=7, progress=lambda line: None)
        eng.close()
        yield url, summary


@pytest.fixture
def fresh(seeded):
    engines = []

    def make() -> Engine:
        engines.append(Engine(seeded[0], forms_dir=ROOT / "forms"))
        return engines[-1]
    yield make
    for e in engines:
        e.close()


def test_a_seeded_database_has_the_organisation_accounts_and_mix_of_issue_12(seeded, fresh):
    _url, summary = seeded
    eng = fresh()
    counts = shape.scenario_counts(N)
    with eng.db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(User)) == shape.organisation(N).users
        assert conn.scalar(select(func.count()).select_from(Account)) == shape.accounts(N, shape.organisation(N).reps)
        status = Counter(dict(conn.execute(select(Instance.outcome, func.count()).group_by(Instance.outcome)).all()))
        assert status[None] == sum(counts[s] for s in shape.RUNNING)
        assert status["established"] == counts["established"] + counts["established_after_return"]
        assert status["withdrawn"] == counts["withdrawn_information"] + counts["withdrawn_review"]
        assert status["declined"] == counts["declined"]
        numbers = list(conn.scalars(select(Instance.number).order_by(Instance.number)))
        assert numbers == list(range(1, N + 1))
        assert conn.scalar(select(ProcessSequence.last_number).where(ProcessSequence.process_id == PROCESS)) == N
        pool = conn.scalar(select(func.count()).select_from(Task).where(
            Task.state == "open", Task.candidate_group == summary.landmarks["pool"], Task.assignee.is_(None)))
        assert pool == counts["pool_review"]
        by_state = Counter(dict(conn.execute(select(Notification.status, func.count())
                                             .group_by(Notification.status)).all()))
        assert by_state["sent"] > 0.8 * sum(by_state.values())
        rep_open = conn.scalar(select(func.count()).select_from(Task).where(
            Task.state == "open", Task.assignee == summary.landmarks["rep"]))
        assert rep_open > 0


def test_the_audit_log_of_a_seeded_database_verifies(seeded, fresh):
    eng = fresh()
    with eng.ctx.uow(read_only=True) as uow:
        assert auditlog.verify(uow.session) == []


def test_every_seeded_running_project_loads_and_its_open_task_rows_match_its_state(seeded, fresh):
    eng = fresh()
    with eng.ctx.uow(read_only=True) as uow:
        running = list(uow.session.scalars(select(Instance).where(Instance.status == "running")))
        assert running
        for inst in running:
            rt = Runtime.load(eng.ctx.models.by_id(uow.session, inst.definition_id), inst.workflow, {},
                              calls.chosen(eng.ctx, uow.session, inst))
            ensure_progress(rt.completed, rt.waits())
            rows = uow.session.execute(select(Task.spiff_task_id, Task.bpmn_id).where(
                Task.instance_id == inst.id, Task.state == "open")).all()
            assert sorted(rows) == sorted((h.spiff_id, h.bpmn_id) for h in rt.human_tasks())
            assert 10_000 < len(inst.workflow) < 45_000      # as the real ones: 14 KB gathering, 25-35 KB later


def _open_task(eng, **where):
    with eng.db.connect() as conn:
        q = select(Task).where(Task.state == "open", *[getattr(Task, k) == v for k, v in where.items()])
        return conn.execute(q.order_by(Task.created_at, Task.id).limit(1)).first()


def test_a_seeded_review_is_completed_by_its_manager_on_a_fresh_engine(seeded, fresh):
    manager = seeded[1].landmarks["manager"]
    row = _open_task(fresh(), bpmn_id="manager_review", assignee=manager)
    eng = fresh()
    eng.complete(row.id, manager, answer("manager_review"))
    votes = [t for t in fresh().instance(row.instance_id).tasks if t.bpmn_id == "committee_vote"]
    assert len(votes) == 5 and all(t.assignee for t in votes)


def test_a_seeded_return_loop_goes_on_to_the_manager_and_the_committee(seeded, fresh):
    eng = fresh()
    with eng.db.connect() as conn:
        returned = conn.scalar(select(Task.instance_id).where(Task.state == "open", Task.bpmn_id == "proposal",
                                                              Task.instance_id.in_(select(Task.instance_id).where(
                                                                  Task.bpmn_id == "manager_review",
                                                                  Task.state == "completed"))).limit(1))
    owner = eng.instance(returned).owner
    proposal = next(t for t in eng.instance(returned).tasks if t.bpmn_id == "proposal")
    fresh().complete(proposal.id, owner, answer("proposal"))
    review = next(t for t in fresh().instance(returned).tasks if t.bpmn_id == "manager_review")
    pool_manager = seeded[1].landmarks["pool_manager"]
    fresh().complete(review.id, review.assignee or pool_manager, answer("manager_review"))
    assert {t.bpmn_id for t in fresh().instance(returned).tasks} == {"committee_vote"}


def test_a_seeded_pool_review_is_claimed_from_the_pool_by_either_manager(seeded, fresh):
    landmarks = seeded[1].landmarks
    row = _open_task(fresh(), candidate_group=landmarks["pool"])
    fresh().complete(row.id, landmarks["pool_manager"], answer("manager_review", decision="return"))
    assert {t.bpmn_id for t in fresh().instance(row.instance_id).tasks} == {"proposal"}


def test_every_report_has_figures_on_a_seeded_database(seeded, fresh):
    eng, who = fresh(), seeded[1].landmarks["committee"]
    assert eng.reports.portfolio(who).rows
    assert eng.reports.pipeline(who).rows
    assert eng.reports.cycle_time(who).steps
    assert eng.reports.returns(who).steps
    votes = {v.outcome for v in eng.reports.returns(who).votes}      # the copies' committee rounds
    assert {"approve", "open"} <= votes
    assert any(r.value > 0 for r in eng.reports.pipeline(who).rows)    # the copies' own deal sizes
    assert eng.reports.overdue(who)
    assert eng.reports.coverage(who).accounts
    assert eng.reports.projects_by_step(who)


def test_cycle_time_from_the_database_equals_the_pure_definition_over_every_activation(seeded, fresh):
    """engine/reports/cycle.py computes in SQL what engine/reports/durations.py defines."""
    eng, who = fresh(), seeded[1].landmarks["committee"]
    with eng.db.connect() as conn:
        rows = [Activation(*r) for r in conn.execute(select(
            Task.instance_id, Task.bpmn_id, Task.name, Task.created_at, Task.closed_at, Task.state))]
    expected = {s.step: s for s in durations.step_times(rows)}
    report = eng.reports.cycle_time(who)
    assert {s.step for s in report.steps} == set(expected)
    for got in report.steps:
        want = expected[got.step]
        assert (got.activations, got.returns, got.open, got.rewound, got.cancelled, got.time.count) == (
            want.activations, want.returns, want.open, want.rewound, want.cancelled, want.time.count)
        assert got.time.median == pytest.approx(want.time.median, abs=0.01)
        assert got.time.p90 == pytest.approx(want.time.p90, abs=0.01)
    whole = durations.end_to_end_spread(rows)
    assert (report.end_to_end.count, report.projects) == (whole.count, N)
    assert report.end_to_end.median == pytest.approx(whole.median, abs=0.01)
    assert report.end_to_end.p90 == pytest.approx(whole.p90, abs=0.01)


def test_relationship_coverage_counted_in_the_database_agrees_with_the_ledger_rules(seeded, fresh):
    eng, who = fresh(), seeded[1].landmarks["committee"]
    with eng.ctx.uow(read_only=True) as uow:
        contacts = list(uow.session.scalars(select(Contact)))
        cold = Counter(c.account_id for c in ledger.cold(eng.ctx, uow.session, contacts))
        stages = Counter((c.account_id, c.relationship_stage or "") for c in contacts)
        activities = Counter(uow.session.scalars(select(Activity.account_id)))
    report = eng.reports.coverage(who)
    assert len(report.accounts) == shape.accounts(N, shape.organisation(N).reps) and sum(cold.values()) > 0
    for row in report.accounts:
        assert row.going_cold == cold[row.account_id] and row.activities == activities[row.account_id]
        assert {k: v for k, v in row.stages.items() if v} == {
            stage: n for (account, stage), n in stages.items() if account == row.account_id}
    assert sum(n for _rep, _month, n in report.activity) == sum(activities.values())


def test_a_seeded_rep_sees_only_her_own_rows_in_the_reports(seeded, fresh):
    """Her own accounts and those she is on the team of, and the projects on them or hers."""
    eng, rep = fresh(), seeded[1].landmarks["rep"]
    with eng.db.connect() as conn:
        accounts = set(conn.scalars(select(Account.id).where(Account.owner == rep))) | set(conn.scalars(
            select(AccountTeamMember.account_id).where(AccountTeamMember.username == rep)))
        projects = set(conn.scalars(select(Instance.id).where(
            (Instance.owner == rep) | Instance.account_id.in_(accounts))))
        others = conn.scalar(select(func.count()).select_from(Instance).where(Instance.id.not_in(projects)))
    assert accounts and projects and others
    portfolio = eng.reports.portfolio(rep).rows
    assert portfolio and {r.account_id for r in portfolio} <= accounts
    counted = grouped_in_python(eng, rep)
    assert {i for r in counted for i in r.instance_ids} <= projects
    assert sum(r.projects for r in eng.reports.pipeline(rep).rows) == sum(r.projects for r in counted)
    assert {i for r in eng.reports.overdue(rep) for i in r.instance_ids} <= projects
    assert {a.account_id for a in eng.reports.coverage(rep).accounts} <= accounts
    assert eng.reports.cycle_time(rep).projects <= len(projects)


def test_kamflow_demo_scale_seeds_an_empty_database_once(db_url, capsys):
    from kamflow.cli import main
    assert main(["--db", db_url, "demo", "--scale", "20", "--seed", "3"]) == 0
    assert "seeded 20 projects" in capsys.readouterr().out
    assert main(["--db", db_url, "demo", "--scale", "20"]) == 2
    assert "already has users" in capsys.readouterr().err


def test_every_seeded_revenue_row_keeps_its_amount_in_the_base_currency_as_the_engine_would(seeded, fresh):
    """Rows the engine writes keep their base amounts (engine/workspace/base_amounts.py); the
    seeder's must too, or every tier and 80/20 read of a big database converts them all again."""
    from datetime import date
    from engine.db.workspace import AccountRevenue
    from engine.workspace.base_amounts import kept
    from engine.workspace.currency import base_currency, by_currency_of, rates, year_end
    eng = fresh()
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        own = by_currency_of(rates(s))
        rows = s.scalars(select(AccountRevenue)).all()
        assert rows and all(r.base_amount is not None for r in rows)
        for r in rows:
            expected = kept(r.amount, r.currency, base_currency(), own.get(r.currency, []), year_end(r.year, date.today()))
            assert (r.base_amount, r.base_currency, r.base_from, r.base_until) == tuple(expected.values()), r.account_id
