"""The SpiffWorkflow runtime on its own: loops stay bounded, state survives a round trip."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

from engine.catalog import form_finder, read_folder
from engine.demo import INFORMATION, answer
from engine.spiff import Runtime, parse_bundle

DATA = Path(__file__).resolve().parents[1] / "data"


def model():
    folder = DATA / "review_loop"
    return parse_bundle(read_folder(folder), form_lookup=form_finder({}, folder, None))["review_loop"]


def test_every_state_survives_a_save_and_reload():
    m = model()
    rt = Runtime.start(m, {"project_name": "x"}, {})
    for i in range(3):
        rt = Runtime.load(m, rt.dump(), {})
        (task,) = rt.human_tasks()
        rt.complete(task.spiff_id, {"draft": {"text": str(i)}} if task.bpmn_id == "draft"
                    else {"review": {"decision": "return"}})
    rt = Runtime.load(m, rt.dump(), {})
    assert [t.bpmn_id for t in rt.human_tasks()] == ["review"]


def test_return_loops_keep_the_task_tree_and_state_bounded():
    m = model()
    rt = Runtime.start(m, {"project_name": "x"}, {})
    sizes = []
    for i in range(300):
        (task,) = rt.human_tasks()
        data = {"draft": {"text": "t"}} if task.bpmn_id == "draft" else {"review": {"decision": "return"}}
        assert rt.complete(task.spiff_id, data)
        sizes.append((len(rt.workflow.tasks), len(rt.dump())))
    assert max(s[0] for s in sizes[10:]) == min(s[0] for s in sizes[10:])
    assert sizes[-1][1] < 1.2 * sizes[10][1]


def test_timers_fire_by_the_callers_clock_and_only_once():
    m = model()
    rt = Runtime.start(m, {"project_name": "x"}, {})
    rt.complete(rt.human_tasks()[0].spiff_id, {"draft": {"text": "t"}})
    due = rt.next_timer_at()
    assert due is not None and rt.human_tasks()[0].due_at == due
    assert rt.fire_due_timers(due - timedelta(seconds=1)) == []
    fired = rt.fire_due_timers(due + timedelta(seconds=1))
    assert [(f.bpmn_id, f.properties, f.attached_to) for f in fired] == [("reminder", {"notify": "reminder"}, "review")]
    assert rt.next_timer_at() is None and [t.bpmn_id for t in rt.human_tasks()] == ["review"]
    assert rt.fire_due_timers(datetime.now(timezone.utc) + timedelta(days=99)) == []


def test_a_completed_task_cannot_be_completed_again():
    m = model()
    rt = Runtime.start(m, {"project_name": "x"}, {})
    task = rt.human_tasks()[0]
    assert rt.complete(task.spiff_id, {"draft": {"text": "t"}})
    assert not rt.complete(task.spiff_id, {"draft": {"text": "again"}})
    assert not rt.complete("not-a-uuid", {})


def at_manager_review() -> Runtime:
    """The stage-1 process with the manager's review open and its two timers (reminder, escalation) waiting."""
    root = DATA.parents[1]
    bundle = parse_bundle(read_folder(root / "workflows"), form_lookup=form_finder({}, root / "workflows", root / "forms"))
    rt = Runtime.start(bundle["key_account_development"], {"project_name": "x"}, {})
    for bpmn_id in INFORMATION + ("proposal",):
        assert rt.complete(next(t.spiff_id for t in rt.human_tasks() if t.bpmn_id == bpmn_id), answer(bpmn_id))
    return rt


def test_a_timer_due_by_the_wall_clock_but_not_by_the_callers_clock_waits_for_its_own_round():
    """SpiffWorkflow fires every timer due by the wall clock once asked to look; a timer the caller did
    not choose (due after its `now`) must not fire unrecorded beside the one it chose."""
    rt = at_manager_review()
    now = datetime.now(timezone.utc)
    dues = {"manager_reminder": now - timedelta(hours=2), "manager_escalation": now - timedelta(hours=1)}
    for task in rt.workflow.event_manager.tasks.values():
        task._set_internal_data(event_value=dues[task.task_spec.bpmn_id].isoformat())
    assert [f.bpmn_id for f in rt.fire_due_timers(now - timedelta(minutes=90))] == ["manager_reminder"]
    assert rt.next_timer_at() == dues["manager_escalation"]
    assert [f.bpmn_id for f in rt.fire_due_timers(now)] == ["manager_escalation"]
    assert rt.next_timer_at() is None and [t.bpmn_id for t in rt.human_tasks()] == ["manager_review"]


def _model(name):
    folder = DATA / name
    return parse_bundle(read_folder(folder), form_lookup=form_finder({}, folder, None))[name]


def test_a_task_of_its_own_answers_alone_and_a_multi_instance_child_does_not():
    rt = Runtime.start(_model("review_loop"), {"project_name": "x"}, {})
    (draft,) = rt.human_tasks()
    assert rt.answers_alone(draft.spiff_id)
    rt = Runtime.start(_model("mi_parallel_cardinality"), {}, {})
    children = rt.human_tasks()
    assert len(children) == 3 and not any(rt.answers_alone(c.spiff_id) for c in children)


def test_a_task_the_workflow_no_longer_holds_answers_alone_as_its_step_does_in_the_model():
    rt = Runtime.start(_model("review_loop"), {"project_name": "x"}, {})
    (draft,) = rt.human_tasks()
    gone = "00000000-0000-0000-0000-000000000000"
    assert rt.answers_alone(gone, draft.bpmn_id)             # a return rewound past it: read no log
    assert not rt.answers_alone(gone) and not rt.answers_alone("not a uuid")    # a called process's: unknown
    assert not rt.answers_alone(gone, "no_such_step")
    rt = Runtime.start(_model("mi_parallel_cardinality"), {}, {})
    vote = rt.human_tasks()[0].bpmn_id
    assert not rt.answers_alone(gone, vote)                  # one of many answers: the others are read
