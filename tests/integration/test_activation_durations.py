"""A completed activation keeps its time (closed - opened, exact microseconds) on its task row, on
both databases; rows a withdrawal or a rewind closed, and open ones, keep none. The database keeps
it (migration 0023's triggers) whoever writes the row; 0023 filled the rows completed before it with
the same values, in chunks. The cycle-time report ranks the kept times, so its step figures are the
pure definition's to the microsecond."""
from __future__ import annotations

import importlib.util
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from engine.db.connect import MIGRATIONS
from engine.db.schema import Task
from engine.demo import complete_open, to_committee, to_manager_review
from engine.reports.durations import Activation, microseconds, step_times

from ..migrations import down_and_up


def migration_0023():
    spec = importlib.util.spec_from_file_location("m0023", MIGRATIONS / "versions" / "0023_activation_durations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def times(eng) -> dict[str, tuple]:
    """Task id -> (state, opened, closed, stored time) of every task row."""
    with eng.ctx.uow(read_only=True) as uow:
        return {t.id: (t.state, t.created_at, t.closed_at, t.duration_us) for t in uow.session.scalars(select(Task))}


def activations(eng) -> list[Activation]:
    with eng.ctx.uow(read_only=True) as uow:
        return [Activation(t.instance_id, t.bpmn_id, t.name, t.created_at, t.closed_at, t.state)
                for t in uow.session.scalars(select(Task).order_by(Task.created_at, Task.id))]


@pytest.fixture
def projects(kam_eng):
    """A returned project now at the committee, a withdrawn one, a rewound one: every way a row closes."""
    returned = to_manager_review(kam_eng, "amy", "Returned once")
    complete_open(kam_eng, returned, "manager_review", "return")
    complete_open(kam_eng, returned, "proposal")
    complete_open(kam_eng, returned, "manager_review")
    withdrawn = to_manager_review(kam_eng, "amy", "Withdrawn")
    kam_eng.withdraw(withdrawn, "amy", "customer postponed")
    rewound = to_committee(kam_eng, "amy", "Rewound")
    kam_eng.admin.rewind(rewound, "zed", "proposal")
    return [returned, withdrawn, rewound]


def test_a_completed_activation_keeps_its_exact_time_and_no_other_row_has_one(projects, kam_eng):
    rows = times(kam_eng).values()
    completed = [r for r in rows if r[0] == "completed"]
    assert len(completed) >= 10 and {r[0] for r in rows} == {"completed", "cancelled", "rewound", "open"}
    assert all(stored == microseconds(opened, closed) for _state, opened, closed, stored in completed)
    assert any(stored % 1000 for *_rest, stored in completed)             # finer than milliseconds
    assert all(stored is None for state, *_rest, stored in rows if state != "completed")


def test_migration_0023_fills_the_times_the_database_keeps_chunk_by_chunk(projects, kam_eng):
    recorded, migration = times(kam_eng), migration_0023()
    with kam_eng.ctx.uow() as uow:
        conn = uow.session.connection()
        migration.stop_keeping(conn)
        conn.execute(update(Task).values(duration_us=None))
        rounds = migration.fill(conn, chunk=1)                           # one instance a round
        migration.keep(conn)
    assert times(kam_eng) == recorded and rounds == len(projects)


def test_the_database_keeps_the_time_whoever_writes_the_row(projects, kam_eng):
    """A hand edit of the times, a wrong time written, a row copied with its source's time (as the
    big-database seeder copies rows) and a row opened again: each row's time follows its own times."""
    with kam_eng.ctx.uow() as uow:
        done = uow.session.scalars(select(Task).where(Task.state == "completed").order_by(Task.id)).all()
        done[0].closed_at = done[0].closed_at + timedelta(hours=5, microseconds=7)
        done[1].duration_us = 42
        done[2].state, done[2].closed_at = "open", None
        copy = {c.name: getattr(done[3], c.name) for c in Task.__table__.columns}
        uow.session.execute(Task.__table__.insert().values(
            {**copy, "id": "copied", "created_at": copy["created_at"] - timedelta(days=2, microseconds=3)}))
    rows = times(kam_eng).values()
    assert all(stored == microseconds(opened, closed) for state, opened, closed, stored in rows if state == "completed")
    assert all(stored is None for state, *_rest, stored in rows if state != "completed")
    assert times(kam_eng)["copied"][3] == microseconds(copy["created_at"], copy["closed_at"]) + 172_800_000_003


def test_each_steps_median_and_p90_are_the_pure_definitions_to_the_microsecond(projects, kam_eng):
    steps = {s.step: s for s in kam_eng.reports.cycle_time("col").steps}
    expected = {s.step: s for s in step_times(activations(kam_eng))}
    assert steps == expected and expected["manager_review"].time.count == 3
    assert any(s.time.median % 0.001 for s in expected.values() if s.time.count)   # not rounded to ms


def test_upgrading_to_0023_adds_the_time_and_fills_the_rows_completed_before(db_url):
    from engine import Engine, demo
    from engine.db.connect import make_engine

    from ..conftest import ROOT
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        eng.deploy(ROOT / "workflows")
        demo.create_users(eng)
        returned = to_committee(eng, "amy", "Returned by the committee")
        complete_open(eng, returned, "committee_vote", "return")
        recorded, report = times(eng), eng.reports.cycle_time("col")
    finally:
        eng.close()
    db = make_engine(db_url)
    down_and_up(db, "0022")                         # the column dropped, then added and filled
    db.dispose()
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        assert times(eng) == recorded and eng.reports.cycle_time("col") == report
        assert sum(stored is not None for *_rest, stored in recorded.values()) >= 8
    finally:
        eng.close()
