"""Specs wired at parse time behave the same in every process (tests/data/<construct>/).

SpiffWorkflow 3.2.0 wires multi-instance merging and event subprocesses into the spec only
while a workflow runs; every test here runs each step on a freshly parsed model, as a
process that did not run the earlier steps would.
"""
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

import engine.spiff.definitions as definitions
from engine.catalog import read_folder
from engine.errors import DeployError, ProcessError
from engine.spiff import Runtime, parse_bundle

DATA = Path(__file__).resolve().parents[1] / "data"
LOOPS = ["mi_parallel_collection", "mi_parallel_cardinality", "mi_sequential_collection",
         "mi_sequential_cardinality", "mi_subprocess", "standard_loop"]
ITEMS = {"project_name": "x", "items": ["a", "b", "c"]}


def fresh_model(name: str):
    """A model parsed now, as another process would parse it."""
    return parse_bundle(read_folder(DATA / name))[name]


def step(name: str, state: str, answer) -> Runtime:
    rt = Runtime.load(fresh_model(name), state, {})
    task = rt.human_tasks()[0]
    assert rt.complete(task.spiff_id, answer(task))
    return rt


def run_across_processes(name: str, answers: list[dict], data: dict = ITEMS) -> Runtime:
    rt = Runtime.start(fresh_model(name), data, {})
    for answer in answers:
        rt = step(name, rt.dump(), lambda task: answer)
    return rt


def test_spiffworkflow_wires_multi_instance_merging_only_while_a_workflow_runs():
    """The root cause, kept as a canary: if a SpiffWorkflow upgrade changes it, this fails."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(DATA / "mi_parallel_collection" / "mi_parallel_collection.bpmn"))
    spec = parser.get_spec("mi_parallel_collection")
    mi = next(ts for ts in spec.task_specs.values() if isinstance(ts, LoopTask))
    child = spec.task_specs[mi.task_spec]
    assert not child.completed_event.is_connected(mi.merge_child)          # freshly parsed: unwired
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(dict(SPIFF_CONFIG)))
    restored = serializer.registry.restore(serializer.registry.convert(spec))
    mi_back = restored.task_specs[mi.name]
    assert restored.task_specs[mi.task_spec].completed_event.is_connected(mi_back.merge_child)


@pytest.mark.parametrize("name", LOOPS)
def test_every_loop_and_multi_instance_finishes_when_each_step_runs_in_another_process(name):
    answers = [{"again": "yes"}, {"again": "yes"}, {"again": "no"}] if name == "standard_loop" else \
        [{"result": f"r{i}"} for i in range(3)]
    rt = run_across_processes(name, answers)
    assert rt.completed and rt.outcome() == "established"
    if name != "standard_loop":
        assert rt.data["results"] == ["r0", "r1", "r2"]


@pytest.mark.parametrize("name", ["mi_parallel_completion_condition", "mi_sequential_completion_condition"])
def test_a_completion_condition_ends_the_multi_instance_early_in_another_process(name):
    rt = run_across_processes(name, [{"result": "more"}, {"result": "enough"}])
    assert rt.completed and rt.human_tasks() == []
    assert rt.data["results"] == ["more", "enough"]


def test_a_signal_started_event_subprocess_finishes_in_another_process():
    rt = run_across_processes("event_subprocess_signal", [{"alarm": "yes"}])
    assert sorted(t.bpmn_id for t in rt.human_tasks()) == ["handle_alarm", "more_work"]
    for bpmn_id in ("handle_alarm", "more_work"):
        rt = Runtime.load(fresh_model("event_subprocess_signal"), rt.dump(), {})
        assert rt.complete(next(t.spiff_id for t in rt.human_tasks() if t.bpmn_id == bpmn_id), {})
    assert rt.completed and rt.outcome() == "established"


def test_an_event_subprocess_that_never_starts_does_not_hold_an_instance_open():
    model = fresh_model("event_subprocess_signal")
    alarmed = Runtime.start(model, {"project_name": "x"}, {})
    alarmed.complete(alarmed.human_tasks()[0].spiff_id, {"alarm": "yes"})        # this process ran a trigger
    quiet = Runtime.start(model, {"project_name": "y"}, {})
    for _ in range(2):
        quiet.complete(quiet.human_tasks()[0].spiff_id, {"alarm": "no"})
    assert quiet.completed and quiet.outcome() == "established"


def test_a_lost_multi_instance_merge_is_a_process_error_not_a_silent_stall(monkeypatch):
    monkeypatch.setattr(definitions, "complete_wiring", lambda spec: None)    # as before the fix
    rt = Runtime.start(fresh_model("mi_parallel_collection"), ITEMS, {})
    for _ in range(2):
        rt = step("mi_parallel_collection", rt.dump(), lambda task: {"result": "r"})
    with pytest.raises(ProcessError) as caught:
        step("mi_parallel_collection", rt.dump(), lambda task: {"result": "r"})
    assert caught.value.element == "answer" and "no open task" in str(caught.value)


def test_an_ad_hoc_subprocess_is_refused_at_deploy_because_spiffworkflow_cannot_run_it():
    with pytest.raises(DeployError) as caught:
        parse_bundle(read_folder(DATA / "ad_hoc_subprocess"))
    assert caught.value.element == "any_order" and caught.value.line == 8
    assert "adHocSubProcess is not supported" in str(caught.value)
