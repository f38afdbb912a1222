"""A decided task row says whether it was the project's first decision at its step (the returns
report's first-pass rate counts those), on both databases: a first return is first, the
resubmission's second decision is not; of a committee round only the earliest vote is, and no
vote of a later round. Migration 0022 fills the flag on rows decided before it, in chunks."""
from __future__ import annotations

import importlib.util

from sqlalchemy import select, update

from engine.db.connect import MIGRATIONS
from engine.db.schema import Task
from engine.demo import complete_open, to_committee, to_manager_review


def flags(eng, iid: str) -> list[tuple]:
    """(step, decision, first decision) of the project's decided rows, in the order they closed."""
    with eng.ctx.uow(read_only=True) as uow:
        return [tuple(r) for r in uow.session.execute(
            select(Task.bpmn_id, Task.decision, Task.first_decision)
            .where(Task.instance_id == iid, Task.decision.isnot(None)).order_by(Task.closed_at, Task.id))]


def migration_0022():
    spec = importlib.util.spec_from_file_location("m0022", MIGRATIONS / "versions" / "0022_first_decisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def returned_then_approved(eng, name: str) -> str:
    iid = to_manager_review(eng, "amy", name)
    complete_open(eng, iid, "manager_review", "return")
    complete_open(eng, iid, "proposal")
    complete_open(eng, iid, "manager_review")
    return iid


def test_a_first_return_is_the_first_decision_and_the_resubmissions_approval_is_not(kam_eng):
    iid = returned_then_approved(kam_eng, "Returned once")
    assert flags(kam_eng, iid) == [("manager_review", "return", True), ("manager_review", "approve", False)]
    review = {s.step: s for s in kam_eng.reports.returns("bob").steps}["manager_review"]
    assert (review.decisions, review.returns, review.projects, review.first_pass) == (2, 1, 1, 0)


def test_only_the_earliest_vote_of_the_first_committee_round_is_first(kam_eng):
    iid = to_committee(kam_eng, "amy", "Returned by the committee")
    complete_open(kam_eng, iid, "committee_vote", "return")
    complete_open(kam_eng, iid, "proposal")
    complete_open(kam_eng, iid, "manager_review")
    complete_open(kam_eng, iid, "committee_vote")
    votes = [first for step, _decision, first in flags(kam_eng, iid) if step == "committee_vote"]
    assert votes == [True, False, False] + [False] * 3
    assert [f for step, _d, f in flags(kam_eng, iid) if step == "manager_review"] == [True, False]
    vote = {s.step: s for s in kam_eng.reports.returns("col").steps}["committee_vote"]
    assert (vote.decisions, vote.returns, vote.projects, vote.first_pass) == (6, 3, 1, 0)
    assert [(r.rep, r.reviewed, r.first_pass) for r in kam_eng.reports.returns("col").reps] == [("amy", 2, 1)]


def test_migration_0022_fills_the_first_decisions_chunk_by_chunk(kam_eng):
    returned = returned_then_approved(kam_eng, "Returned then approved")
    voted = to_committee(kam_eng, "amy", "Voted")
    complete_open(kam_eng, voted, "committee_vote")
    withdrawn = to_manager_review(kam_eng, "amy", "Withdrawn")
    kam_eng.withdraw(withdrawn, "amy", "customer postponed")
    recorded = {iid: flags(kam_eng, iid) for iid in (returned, voted, withdrawn)}
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Task).values(first_decision=None))
        rounds = migration_0022().fill(uow.session.connection(), chunk=1)      # one instance a round
    assert {iid: flags(kam_eng, iid) for iid in recorded} == recorded
    assert rounds == 2 and recorded[withdrawn] == []
    with kam_eng.ctx.uow(read_only=True) as uow:
        undecided = uow.session.scalars(select(Task.first_decision).where(Task.decision.is_(None))).all()
    assert undecided and set(undecided) == {None}
