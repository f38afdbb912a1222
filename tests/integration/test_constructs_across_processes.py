"""Every construct whose wiring SpiffWorkflow keeps in memory, with every step in another
process: each facade call runs on a new engine with empty caches (tests/data/<construct>/)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ..conftest import DATA

pytestmark = pytest.mark.parametrize("engine_mode", ["fresh"], indirect=True)
ITEMS = {"items": ["a", "b", "c"]}


def later(days: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(days=days)


@pytest.fixture
def fresh(eng):
    """Deploy one construct and start it as amy; returns (engine, instance id)."""
    def start(construct: str, data: dict | None = None):
        eng.deploy(DATA / construct)
        return eng.start(construct, "amy", {"project_name": construct, **(data or {})})
    start.eng = eng
    return start


def open_ids(eng, iid):
    return sorted(t.bpmn_id for t in eng.instance(iid).tasks)


def complete(eng, iid, bpmn_id, data=None):
    task = next(t for t in eng.instance(iid).tasks if t.bpmn_id == bpmn_id)
    eng.complete(task.id, "amy", data or {})


def outcome(eng, iid):
    view = eng.instance(iid)
    return view.status, view.outcome


@pytest.mark.parametrize("construct", ["mi_parallel_collection", "mi_parallel_cardinality", "mi_subprocess"])
def test_a_parallel_multi_instance_merges_votes_cast_in_other_processes(fresh, construct):
    eng, iid = fresh.eng, fresh(construct, ITEMS)
    inner = "handle_item" if construct == "mi_subprocess" else "answer"
    assert open_ids(eng, iid) == [inner] * 3
    complete(eng, iid, inner, {"result": "r0"})
    if construct != "mi_subprocess":
        assert eng.fire_timers(later(4)) == 1                 # the reminder on the open activity
    complete(eng, iid, inner, {"result": "r1"})
    complete(eng, iid, inner, {"result": "r2"})
    assert outcome(eng, iid) == ("completed", "established")
    assert eng.instance(iid).data["results"] == ["r0", "r1", "r2"]


@pytest.mark.parametrize("construct", ["mi_sequential_collection", "mi_sequential_cardinality"])
def test_a_sequential_multi_instance_opens_the_next_instance_in_another_process(fresh, construct):
    eng, iid = fresh.eng, fresh(construct, ITEMS)
    for n in range(3):
        assert open_ids(eng, iid) == ["answer"]
        complete(eng, iid, "answer", {"result": f"r{n}"})
    assert outcome(eng, iid) == ("completed", "established")
    assert eng.instance(iid).data["results"] == ["r0", "r1", "r2"]


@pytest.mark.parametrize("construct", ["mi_parallel_completion_condition", "mi_sequential_completion_condition"])
def test_a_completion_condition_met_in_another_process_ends_the_multi_instance(fresh, construct):
    eng, iid = fresh.eng, fresh(construct, ITEMS)
    complete(eng, iid, "answer", {"result": "more"})
    complete(eng, iid, "answer", {"result": "enough"})
    assert outcome(eng, iid) == ("completed", "established") and open_ids(eng, iid) == []


def test_a_standard_loop_repeats_across_processes_until_told_to_stop(fresh):
    eng, iid = fresh.eng, fresh("standard_loop")
    for again in ("yes", "yes", "no"):
        complete(eng, iid, "answer", {"again": again})
    assert outcome(eng, iid) == ("completed", "established")
    assert sum(e.kind == "completed" for e in eng.instance(iid).history) == 3


def test_an_embedded_subprocess_finishes_and_its_timers_fire_from_other_processes(fresh):
    eng, iid = fresh.eng, fresh("embedded_subprocess")
    complete(eng, iid, "first")
    assert eng.fire_timers(later(4)) == 1                     # non-interrupting reminder on the subprocess
    complete(eng, iid, "second")
    assert outcome(eng, iid) == ("completed", "established")
    late = eng.start("embedded_subprocess", "amy", {"project_name": "late"})
    assert eng.fire_timers(later(8)) == 2                     # reminder, then the interrupting deadline
    assert open_ids(eng, late) == ["explain_delay"]
    complete(eng, late, "explain_delay")
    assert outcome(eng, late) == ("completed", "declined")


def test_a_call_activity_returns_to_its_caller_in_another_process(fresh):
    eng, iid = fresh.eng, fresh("call_activity")
    assert open_ids(eng, iid) == ["inside_call"]
    assert eng.fire_timers(later(4)) == 1
    complete(eng, iid, "inside_call")
    assert open_ids(eng, iid) == ["after_call"]
    complete(eng, iid, "after_call")
    assert outcome(eng, iid) == ("completed", "established")


def test_a_signal_started_event_subprocess_finishes_in_another_process(fresh):
    eng, iid = fresh.eng, fresh("event_subprocess_signal")
    complete(eng, iid, "work", {"alarm": "yes"})
    assert open_ids(eng, iid) == ["handle_alarm", "more_work"]
    complete(eng, iid, "handle_alarm")
    complete(eng, iid, "more_work")
    assert outcome(eng, iid) == ("completed", "established")
    quiet = eng.start("event_subprocess_signal", "amy", {"project_name": "quiet"})
    complete(eng, quiet, "work", {"alarm": "no"})
    complete(eng, quiet, "more_work")
    assert outcome(eng, quiet) == ("completed", "established")


def test_a_timer_started_event_subprocess_opens_its_task_from_a_timer_worker(fresh):
    eng, iid = fresh.eng, fresh("event_subprocess_timer")
    assert eng.fire_timers(later(1)) == 0
    assert eng.fire_timers(later(3)) == 1
    assert open_ids(eng, iid) == ["explain_delay", "work"]
    complete(eng, iid, "explain_delay")
    complete(eng, iid, "work")
    assert outcome(eng, iid) == ("completed", "established")


def test_an_intermediate_timer_waits_with_no_open_task_and_fires_in_another_process(fresh):
    eng, iid = fresh.eng, fresh("intermediate_timer")
    complete(eng, iid, "before")
    assert (eng.instance(iid).status, open_ids(eng, iid)) == ("running", [])
    assert eng.fire_timers(later(2)) == 1
    complete(eng, iid, "after")
    assert outcome(eng, iid) == ("completed", "established")


def test_an_error_thrown_inside_a_subprocess_is_caught_on_its_boundary_in_another_process(fresh):
    eng, iid = fresh.eng, fresh("error_boundary_subprocess")
    complete(eng, iid, "check_feasibility", {"feasible": "no"})
    assert open_ids(eng, iid) == ["explain"]
    complete(eng, iid, "explain")
    assert outcome(eng, iid) == ("completed", "declined")
    feasible = eng.start("error_boundary_subprocess", "amy", {"project_name": "feasible"})
    complete(eng, feasible, "check_feasibility", {"feasible": "yes"})
    assert outcome(eng, feasible) == ("completed", "established")
