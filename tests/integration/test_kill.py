"""SIGKILL at random points: a process completing tasks and a timer worker are killed 20
times (fixed seed); afterwards every instance still finishes, no task is lost and no timer
fired twice. A killed transaction is rolled back whole by the database."""
from __future__ import annotations

import multiprocessing
import random
import time
from datetime import datetime, timedelta, timezone

from engine import Conflict, Engine

from ..conftest import ROOT

INSTANCES, ROUNDS = 40, 20
LATER = timedelta(days=4)       # every review's reminder (3 days) is due for the timer worker


def complete_forever(url: str, ready) -> None:
    """A user process: drafts as amy and approvals as bob, as fast as it can, until killed."""
    eng = Engine(url, forms_dir=ROOT / "forms")
    eng.tasks("amy")
    ready.set()
    answers = {"amy": {"draft": {"text": "x"}}, "bob": {"review": {"decision": "approve"}}}
    while True:
        for user, answer in answers.items():
            for task in eng.tasks(user):
                try:
                    eng.complete(task.id, user, answer)
                except Conflict:
                    pass


def fire_forever(url: str, ready) -> None:
    """A timer worker, four days ahead of the clock, until killed."""
    eng = Engine(url, forms_dir=ROOT / "forms")
    ready.set()
    while True:
        eng.fire_timers(datetime.now(timezone.utc) + LATER)


def kill_at_random_points(url: str, rng: random.Random) -> None:
    mp = multiprocessing.get_context("forkserver")     # children fork from a process that has
    mp.set_forkserver_preload(["engine", __name__])    # imported everything once: cheap to start
    for _ in range(ROUNDS):
        readies = [mp.Event(), mp.Event()]
        children = [mp.Process(target=target, args=(url, ready), daemon=True)
                    for target, ready in zip((complete_forever, fire_forever), readies)]
        for child in children:
            child.start()
        for ready in readies:
            assert ready.wait(60)
        started = time.monotonic()
        for at, child in sorted(((rng.uniform(0.1, 1.0), child) for child in children), key=lambda p: p[0]):
            time.sleep(max(0.0, started + at - time.monotonic()))
            child.kill()
        for child in children:
            child.join(30)
            assert child.exitcode == -9


def test_processes_killed_mid_step_twenty_times_leave_every_instance_able_to_finish(loop_eng, db_url):
    iids = [loop_eng.start("review_loop", "amy", {"project_name": f"Kill {n}"}) for n in range(INSTANCES)]
    kill_at_random_points(db_url, random.Random(6))
    for iid in iids:                                      # nothing lost: running means a task is open
        view = loop_eng.instance(iid)
        assert view.status == "completed" or [t.bpmn_id for t in view.tasks] in (["draft"], ["review"]), view
    for user, answer in (("amy", {"draft": {"text": "x"}}), ("bob", {"review": {"decision": "approve"}})):
        loop_eng.fire_timers(datetime.now(timezone.utc) + LATER)
        for task in loop_eng.tasks(user):
            loop_eng.complete(task.id, user, answer)
    for iid in iids:
        view = loop_eng.instance(iid)
        kinds = [(e.kind, e.bpmn_id) for e in view.history]
        assert (view.status, view.outcome) == ("completed", "established"), kinds
        assert kinds.count(("completed", "draft")) == kinds.count(("completed", "review")) == 1, kinds
        assert kinds.count(("reminder", "reminder")) <= 1, kinds
    assert loop_eng.admin.incidents("zed") == []
