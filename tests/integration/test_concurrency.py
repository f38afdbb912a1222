"""Many people and workers at once: exactly one completion wins, each timer fires once."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from engine import Conflict, Engine, ProcessError

from ..conftest import DATA, ROOT


def run_together(*calls):
    """Start every call at the same instant; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def runner(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:   # noqa: BLE001 - the test inspects what was raised
            results[i] = exc
    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_concurrent_completions_of_one_task_exactly_one_wins(loop_eng, db_url):
    other = Engine(db_url, forms_dir=ROOT / "forms")     # a second app process, own connections
    try:
        for round_no in range(5):
            iid = loop_eng.start("review_loop", "amy", {"project_name": f"Race {round_no}"})
            draft = next(t for t in loop_eng.tasks("amy") if t.instance_id == iid)
            loop_eng.complete(draft.id, "amy", {"draft": {"text": "x"}})
            review = next(t for t in loop_eng.tasks("bob") if t.instance_id == iid)
            results = run_together(
                lambda: loop_eng.complete(review.id, "bob", {"review": {"decision": "approve"}}),
                lambda: other.complete(review.id, "bob", {"review": {"decision": "return"}}),
            )
            conflicts = [r for r in results if isinstance(r, Conflict)]
            assert len(conflicts) == 1 and sum(isinstance(r, list) for r in results) == 1, results
            completions = [e for e in loop_eng.instance(iid).history if e.kind == "completed" and e.bpmn_id == "review"]
            assert len(completions) == 1
    finally:
        other.close()


def test_concurrent_timer_workers_fire_each_timer_once(loop_eng, db_url):
    for n in range(6):
        loop_eng.start("review_loop", "amy", {"project_name": f"Timer {n}"})
    for task in loop_eng.tasks("amy"):
        loop_eng.complete(task.id, "amy", {"draft": {"text": "x"}})
    later = datetime.now(timezone.utc) + timedelta(days=4)
    workers = [Engine(db_url, forms_dir=ROOT / "forms") for _ in range(3)]
    try:
        results = run_together(*[lambda w=w: w.fire_timers(later) for w in workers])
    finally:
        for w in workers:
            w.close()
    assert sum(results) == 6, results
    assert loop_eng.fire_timers(later) == 0


def test_engines_starting_at_once_on_an_empty_database_all_come_up(db_url):
    results = run_together(*[lambda: Engine(db_url) for _ in range(4)])
    assert all(isinstance(r, Engine) for r in results), results
    for r in results:
        r.close()


def test_a_timer_worker_and_a_user_completing_one_instance_never_interleave(loop_eng, db_url, monkeypatch):
    """PostgreSQL: the user's transaction locks the instance first and the worker skips it. SQLite:
    the user's step only reads until its first write (db/read_ahead.py), so the worker fires its
    reminder meanwhile and the step, finding the instance changed at its turn, runs again on the
    new state. Either way each happens once, whole, and the two never deadlock."""
    from engine.spiff.runtime import Runtime
    iid = loop_eng.start("review_loop", "amy", {"project_name": "Race a timer"})
    loop_eng.complete(loop_eng.tasks("amy")[0].id, "amy", {"draft": {"text": "x"}})
    review = loop_eng.tasks("bob")[0]
    worker = Engine(db_url, forms_dir=ROOT / "forms")
    original, fired, runs = Runtime.complete, [], []
    timer = threading.Thread(target=lambda: fired.append(worker.fire_timers(
        datetime.now(timezone.utc) + timedelta(days=4))))

    def complete_while_a_worker_fires(self, spiff_id, data):
        runs.append(spiff_id)
        if not timer.is_alive() and not fired:
            timer.start()
            timer.join(30)          # it finishes while the step is still under way
        return original(self, spiff_id, data)
    monkeypatch.setattr(Runtime, "complete", complete_while_a_worker_fires)
    try:
        loop_eng.complete(review.id, "bob", {"review": {"decision": "approve"}})
    finally:
        worker.close()
    kinds = [e.kind for e in loop_eng.instance(iid).history]
    assert loop_eng.instance(iid).outcome == "established" and kinds.count("completed") == 2
    if worker.db.dialect.name == "postgresql":
        assert fired == [0] and "reminder" not in kinds and len(runs) == 1
    else:
        assert fired == [1] and kinds.count("reminder") == 1 and len(runs) == 2
        assert kinds.index("reminder") < len(kinds) - 1 - kinds[::-1].index("completed")


def test_two_app_processes_taking_turns_always_see_each_others_changes(loop_eng, db_url):
    other = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        iid = loop_eng.start("review_loop", "amy", {"project_name": "Turns"})
        for round_no in range(3):
            loop_eng.complete(loop_eng.tasks("amy")[0].id, "amy", {"draft": {"text": f"v{round_no}"}})
            assert other.instance(iid).data["draft"] == {"text": f"v{round_no}"}
            other.complete(other.tasks("bob")[0].id, "bob", {"review": {"decision": "return"}})
            assert [t.bpmn_id for t in loop_eng.instance(iid).tasks] == ["draft"]
        loop_eng.complete(loop_eng.tasks("amy")[0].id, "amy", {"draft": {"text": "final"}})
        other.complete(other.tasks("bob")[0].id, "bob", {"review": {"decision": "approve"}})
        assert loop_eng.instance(iid).outcome == "established"
        assert loop_eng.instance(iid).data["draft"] == {"text": "final"}
    finally:
        other.close()


def test_a_failed_step_is_not_remembered_by_the_process_that_ran_it(eng):
    eng.deploy(DATA / "broken_gateway")
    iid = eng.start("broken_gateway", "amy", {"project_name": "Broken"})
    with pytest.raises(ProcessError) as first:
        eng.complete(eng.tasks("amy")[0].id, "amy", {"note": "no level"})
    with pytest.raises(ProcessError):
        eng.retry(first.value.incident_id, "zed", {"other": 1})      # still no level: fails again
    eng.retry(first.value.incident_id, "zed", {"level": 1})
    view = eng.instance(iid)
    assert view.status == "completed" and "other" not in view.data and view.data["level"] == 1


def test_timer_workers_and_reviewers_on_the_same_instances_never_deadlock_and_lose_nothing(loop_eng, db_url):
    """Three workers fire reminders while two reviewers approve the same instances: every
    approval lands, no error reaches anyone, and each reminder fires at most once (exactly
    once where nobody approved)."""
    approved = [loop_eng.start("review_loop", "amy", {"project_name": f"Approve {n}"}) for n in range(16)]
    waiting = [loop_eng.start("review_loop", "amy", {"project_name": f"Wait {n}"}) for n in range(4)]
    for task in loop_eng.tasks("amy"):
        loop_eng.complete(task.id, "amy", {"draft": {"text": "x"}})
    reviews = [t for t in loop_eng.tasks("bob") if t.instance_id in approved]
    later = datetime.now(timezone.utc) + timedelta(days=4)
    engines = [Engine(db_url, forms_dir=ROOT / "forms") for _ in range(5)]
    reviewers_done, fired, failures = threading.Event(), [], []

    def worker(w):
        while True:
            last_round = reviewers_done.is_set()
            try:
                fired.append(w.fire_timers(later))
            except Exception as exc:   # noqa: BLE001 - collected and asserted below
                failures.append(exc)
            if last_round:
                return

    def reviewer(r, mine):
        for task in mine:
            try:
                r.complete(task.id, "bob", {"review": {"decision": "approve"}})
            except Exception as exc:   # noqa: BLE001 - collected and asserted below
                failures.append(exc)
    workers = [threading.Thread(target=worker, args=(w,)) for w in engines[:3]]
    reviewers = [threading.Thread(target=reviewer, args=(r, reviews[i::2])) for i, r in enumerate(engines[3:])]
    try:
        for t in workers + reviewers:
            t.start()
        for t in reviewers:
            t.join(120)
        reviewers_done.set()
        for t in workers:
            t.join(120)
    finally:
        for e in engines:
            e.close()
    assert failures == []
    reminders = {iid: [e.kind for e in loop_eng.instance(iid).history].count("reminder") for iid in approved + waiting}
    assert all(loop_eng.instance(iid).outcome == "established" for iid in approved)
    assert all(reminders[iid] <= 1 for iid in approved) and all(reminders[iid] == 1 for iid in waiting)
    assert sum(fired) == sum(reminders.values())
    assert loop_eng.admin.incidents("zed") == []


def test_deploying_the_same_content_from_many_engines_at_once_yields_one_version(db_url):
    engines = [Engine(db_url) for _ in range(4)]
    try:
        results = run_together(*[lambda e=e: e.deploy(DATA / "review_loop") for e in engines])
        assert all(isinstance(r, list) for r in results), results
        assert sorted(r[0]["new"] for r in results) == [False, False, False, True]
        assert {r[0]["version"] for r in results} == {1}
    finally:
        for e in engines:
            e.close()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)     # SQLite: test_read_ahead.py
def test_a_draft_saved_while_its_task_is_being_completed_waits_and_is_refused(loop_eng, db_url):
    other = Engine(db_url, forms_dir=ROOT / "forms")
    iid = loop_eng.start("review_loop", "amy", {"project_name": "Draft race"})
    draft = next(t for t in loop_eng.tasks("amy") if t.instance_id == iid)
    loop_eng.complete(draft.id, "amy", {"draft": {"text": "x"}})
    review = next(t for t in loop_eng.tasks("bob") if t.instance_id == iid)
    saved: list = []
    saver = threading.Thread(target=lambda: saved.append(
        _outcome(lambda: other.drafts.save(review.id, "bob", {"review": {"decision": "return"}}))))

    def answer(task):                       # runs inside the completion, the task locked
        saver.start()
        saver.join(1.0)
        assert saver.is_alive(), "the draft was saved beside a completion in flight"
        return {"review": {"decision": "approve"}}
    try:
        loop_eng.complete_step(review.id, "bob", answer)
        saver.join(30)
    finally:
        other.close()
    assert isinstance(saved[0], Conflict)
    assert loop_eng.drafts.get(review.id, "bob") is None


def _outcome(call):
    try:
        return call()
    except Exception as exc:   # noqa: BLE001 - the test inspects what was raised
        return exc
