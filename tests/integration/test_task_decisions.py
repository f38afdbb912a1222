"""A completed review keeps its decision (and, unless it approves, its reason code) on its task row,
on both databases; rows a withdrawal or a rewind closed, and steps whose answer decides nothing,
keep none. Migration 0020 fills the rows completed before it from the audit log, in chunks. The
returns report counts these rows, by when the decision was given."""
from __future__ import annotations

import importlib.util
from datetime import timedelta

from sqlalchemy import select, update

from engine.db.connect import MIGRATIONS
from engine.db.schema import Task
from engine.demo import complete_open, to_committee, to_manager_review

from ..migrations import down_and_up

REASON = "incomplete_information"          # the demo answers' reason for anything but an approval


def decisions(eng, iid: str) -> list[tuple]:
    """(step, state, decision, reason code) of the project's task rows, oldest first."""
    with eng.ctx.uow(read_only=True) as uow:
        return [(t.bpmn_id, t.state, t.decision, t.reason_code) for t in uow.session.scalars(
            select(Task).where(Task.instance_id == iid).order_by(Task.created_at, Task.id))]


def decided(rows: list[tuple]) -> list[tuple]:
    return [r for r in rows if r[2] is not None]


def migration_0020():
    spec = importlib.util.spec_from_file_location("m0020", MIGRATIONS / "versions" / "0020_task_decisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_managers_return_keeps_return_and_its_reason_and_the_reps_forms_decide_nothing(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Returned")
    complete_open(kam_eng, iid, "manager_review", "return")
    rows = decisions(kam_eng, iid)
    assert decided(rows) == [("manager_review", "completed", "return", REASON)]
    assert ("proposal", "completed", None, None) in rows and ("proposal", "open", None, None) in rows


def test_an_approval_keeps_approve_without_a_reason(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Approved")
    complete_open(kam_eng, iid, "manager_review", "approve")
    assert decided(decisions(kam_eng, iid)) == [("manager_review", "completed", "approve", None)]


def test_each_committee_members_vote_is_kept_on_their_own_row(kam_eng):
    iid = to_committee(kam_eng, "amy", "Declined")
    complete_open(kam_eng, iid, "committee_vote", "decline")
    assert decided(decisions(kam_eng, iid)) == [("manager_review", "completed", "approve", None)] + \
        [("committee_vote", "completed", "decline", REASON)] * 3


def test_a_withdrawal_and_a_rewind_leave_the_rows_they_close_without_a_decision(kam_eng):
    withdrawn = to_manager_review(kam_eng, "amy", "Withdrawn")
    kam_eng.withdraw(withdrawn, "amy", "customer postponed")
    rewound = to_committee(kam_eng, "amy", "Rewound")
    kam_eng.admin.rewind(rewound, "zed", "proposal")
    assert ("manager_review", "cancelled", None, None) in decisions(kam_eng, withdrawn)
    assert decided(decisions(kam_eng, withdrawn)) == []
    rows = decisions(kam_eng, rewound)
    assert [r for r in rows if r[1] == "rewound"] == [("committee_vote", "rewound", None, None)] * 3
    assert decided(rows) == [("manager_review", "completed", "approve", None)]     # given before the rewind


def test_migration_0020_fills_the_decisions_from_the_audit_log_chunk_by_chunk(kam_eng):
    returned = to_manager_review(kam_eng, "amy", "Returned then declined")
    complete_open(kam_eng, returned, "manager_review", "return")
    complete_open(kam_eng, returned, "proposal")
    complete_open(kam_eng, returned, "manager_review")
    complete_open(kam_eng, returned, "committee_vote", "decline")
    withdrawn = to_manager_review(kam_eng, "amy", "Withdrawn")
    kam_eng.withdraw(withdrawn, "amy", "customer postponed")
    recorded = {iid: decisions(kam_eng, iid) for iid in (returned, withdrawn)}
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Task).values(decision=None, reason_code=None))
        filled = migration_0020().fill(uow.session.connection(), chunk=2)     # 17 completed events: 9 rounds
    assert {iid: decisions(kam_eng, iid) for iid in recorded} == recorded
    assert filled == 5 and len(decided(recorded[returned])) == 5


def test_upgrading_to_0020_adds_the_columns_and_fills_the_rows_completed_before(db_url):
    from engine import Engine, demo
    from engine.db.connect import make_engine

    from ..conftest import ROOT
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        eng.deploy(ROOT / "workflows")
        demo.create_users(eng)
        returned = to_committee(eng, "amy", "Returned by the committee")
        complete_open(eng, returned, "committee_vote", "return")
        rewound = to_committee(eng, "amy", "Rewound")
        eng.admin.rewind(rewound, "zoe", "proposal")
        recorded = {iid: decisions(eng, iid) for iid in (returned, rewound)}
    finally:
        eng.close()
    db = make_engine(db_url)
    down_and_up(db, "0019")                         # the columns dropped, then added and filled
    db.dispose()
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        assert {iid: decisions(eng, iid) for iid in recorded} == recorded
        assert decided(recorded[returned])[-3:] == [("committee_vote", "completed", "return", REASON)] * 3
        assert eng.reports.returns("col").steps[0].returns == 3
    finally:
        eng.close()


def test_the_returns_report_counts_the_decisions_given_within_the_period(kam_eng):
    earlier = to_manager_review(kam_eng, "amy", "Returned last year")
    complete_open(kam_eng, earlier, "manager_review", "return")
    later = to_manager_review(kam_eng, "amy", "Approved now")
    complete_open(kam_eng, later, "manager_review")
    year_ago = kam_eng.ctx.clock() - timedelta(days=365)
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Task).where(Task.instance_id == earlier, Task.decision.isnot(None))
                            .values(closed_at=year_ago))
    since = (kam_eng.ctx.clock() - timedelta(days=30)).date().isoformat()
    everything = {s.step: s for s in kam_eng.reports.returns("bob").steps}["manager_review"]
    assert (everything.decisions, everything.returns, everything.projects, everything.first_pass) == (2, 1, 2, 1)
    recent = kam_eng.reports.returns("bob", {"since": since})
    review = {s.step: s for s in recent.steps}["manager_review"]
    assert (review.decisions, review.returns, review.projects, review.first_pass, review.reasons) == (1, 0, 1, 1, {})
    assert [(r.rep, r.reviewed, r.first_pass) for r in recent.reps] == [("amy", 1, 1)]
