"""On SQLite a completion reads, checks the form and runs the workflow before it takes the writers'
turn, and runs again when a row it locked changed meanwhile (engine/db/read_ahead.py). SQLite only:
on PostgreSQL the locks are row locks, held from the first read."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from engine import Engine, NotAllowed

from ..conftest import DATA
from ..flocks import free_to_another_holder

ON_SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _compliance_review(eng) -> tuple[str, str]:
    """A gift check waiting at a review offered to the compliance group (cid and cat may take it)."""
    eng.deploy(DATA / "lanes_to_groups")
    eng.groups.create("compliance", "zed", "Checks gifts and hospitality")
    for member in ("cid", "cat"):
        eng.groups.add_member("compliance", member, "zed")
    iid = eng.start("gift_check", "amy")
    (describe,) = eng.tasks("amy")
    eng.complete(describe.id, "amy", {"gift": {"recipient": "Director Lin", "value": 3000}})
    (review,) = eng.tasks("cid")
    return iid, review.id


@ON_SQLITE
def test_a_completion_reads_and_runs_before_it_takes_the_writers_turn(eng, db_url):
    _iid, review = _compliance_review(eng)
    writers = db_url.removeprefix("sqlite:///") + "-writers"
    free_while_reading = []

    def answer(task):
        free_while_reading.append(free_to_another_holder(writers))
        return {"verdict": "approve"}

    eng.complete_step(review, "cid", answer)
    assert free_while_reading == [True]
    assert free_to_another_holder(writers)


@ON_SQLITE
def test_a_task_claimed_by_another_before_the_turn_makes_the_completion_run_again_and_refuse(eng, db_url):
    iid, review = _compliance_review(eng)
    other_process = Engine(db_url)
    asked = []

    def answer(task):
        asked.append(task.id)
        if len(asked) == 1:
            other_process.claim(review, "cat")       # commits while cid's step is still reading
        return {"verdict": "approve"}

    try:
        with pytest.raises(NotAllowed):
            eng.complete_step(review, "cid", answer)
    finally:
        other_process.close()
    assert asked == [review]                        # the second run stopped before asking: cid may not act
    (task,) = [t for t in eng.instance(iid).tasks if t.id == review]
    assert (task.state, task.assignee) == ("open", "cat")
    assert eng.verify_audit() == []


@ON_SQLITE
def test_a_completion_runs_again_on_what_another_writer_committed_before_its_turn(eng, db_url):
    iid, review = _compliance_review(eng)
    other_process = Engine(db_url)
    seen_assignees = []

    def answer(task):
        seen_assignees.append(task.assignee)
        if len(seen_assignees) == 1:
            other_process.claim(review, "cid")
        return {"verdict": "approve"}

    try:
        eng.complete_step(review, "cid", answer)
    finally:
        other_process.close()
    assert seen_assignees == [None, "cid"]
    done = [(e.bpmn_id, e.actor) for e in eng.instance(iid).history if e.kind == "completed"]
    assert done == [("describe_gift", "amy"), ("compliance_review", "cid")]


def _reading_ahead(db):
    return db.connect().execution_options(sqlite_begin="OPTIMISTIC")


def test_a_transaction_reading_ahead_takes_the_turn_at_its_first_write_and_keeps_it_to_commit(sqlite_db):
    db, writers = sqlite_db
    with _reading_ahead(db) as conn, conn.begin():
        assert conn.scalar(text("SELECT n FROM counter")) == 0
        assert free_to_another_holder(writers)
        conn.execute(text("UPDATE counter SET n = n + 1"))
        assert not free_to_another_holder(writers)
    assert free_to_another_holder(writers)
    with db.connect() as conn:
        assert conn.scalar(text("SELECT n FROM counter")) == 1


def test_a_savepoint_takes_the_turn_before_it_opens(sqlite_db):
    db, writers = sqlite_db
    with _reading_ahead(db) as conn, conn.begin():
        conn.scalar(text("SELECT n FROM counter"))
        with conn.begin_nested():
            assert not free_to_another_holder(writers)
            conn.execute(text("UPDATE counter SET n = 5"))
    with db.connect() as conn:
        assert conn.scalar(text("SELECT n FROM counter")) == 5


def test_a_transaction_that_only_read_ahead_leaves_the_next_one_on_its_connection_a_plain_writer(sqlite_db):
    db, writers = sqlite_db
    with db.connect() as conn:
        with conn.execution_options(sqlite_begin="OPTIMISTIC").begin():
            conn.scalar(text("SELECT n FROM counter"))
        with conn.execution_options(sqlite_begin="IMMEDIATE").begin():
            assert not free_to_another_holder(writers)      # taken at BEGIN, not at the first write
            conn.execute(text("UPDATE counter SET n = 7"))
    with db.connect() as conn:
        assert conn.scalar(text("SELECT n FROM counter")) == 7


@ON_SQLITE
def test_a_draft_saved_while_the_completion_reads_ahead_goes_with_the_task(eng, db_url):
    iid, review = _compliance_review(eng)
    other_process = Engine(db_url)
    runs = []

    def answer(task):
        runs.append(task.id)
        if len(runs) == 1:                            # the lock read no drafts; one lands before the turn
            other_process.drafts.save(review, "cat", {"verdict": "decline"})
        return {"verdict": "approve"}

    try:
        eng.complete_step(review, "cid", answer)
    finally:
        other_process.close()
    assert runs == [review]                    # nothing it relied on changed: no second run ...
    assert eng.drafts.get(review, "cat") is None   # ... and the draft went as the task closed (0046)
