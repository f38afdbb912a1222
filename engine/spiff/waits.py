"""What a loaded workflow waits for, in the terms of `engine.invariants`."""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.util.task import TaskState

from ..invariants import Wait, WaitKind


def _bpmn_id(task) -> str:
    return getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name


def _is_human(task) -> bool:
    return task.state == TaskState.READY and bool(getattr(task.task_spec, "manual", False))


def _is_catch(task) -> bool:
    return (task.state == TaskState.WAITING and isinstance(task.task_spec, CatchingEvent)
            and not isinstance(task.task_spec, BoundaryEvent))


def _is_activity(task) -> bool:
    return task.state == TaskState.STARTED and isinstance(task.task_spec, (LoopTask, SubWorkflowTask))


def _has_open_work(wf: BpmnWorkflow, task) -> bool:
    """Can `task` still move on: a ready human task or a catch event, in it or inside it?"""
    if _is_human(task) or _is_catch(task):
        return True
    if task.state != TaskState.STARTED:
        return False
    spec = task.task_spec
    inside = [c for c in task.children if isinstance(spec, LoopTask) and c.task_spec.name == spec.task_spec]
    sub = wf.subprocesses.get(task.id)           # an embedded, called or event subprocess
    if sub is not None:
        inside.extend(sub.tasks.values())
    return any(_has_open_work(wf, t) for t in inside)


def _host(boundary):
    split = boundary.parent
    if split is None or not isinstance(split.task_spec, BoundaryEventSplit):
        return None
    return next((c for c in split.children if not isinstance(c.task_spec, BoundaryEvent)), None)


def _live_tasks(wf: BpmnWorkflow):
    for workflow in (wf, *wf.subprocesses.values()):
        for task in workflow.tasks.values():
            if task.has_state(TaskState.READY | TaskState.WAITING | TaskState.STARTED):
                yield task


def waits_of(wf: BpmnWorkflow) -> list[Wait]:
    found = []
    registered = wf.event_manager.tasks
    for task in _live_tasks(wf):
        if _is_human(task):
            found.append(Wait(WaitKind.HUMAN, _bpmn_id(task)))
        elif _is_catch(task):
            found.append(Wait(WaitKind.CATCH, _bpmn_id(task), wakeable=task.id in registered))
        elif task.state == TaskState.WAITING and isinstance(task.task_spec, BoundaryEvent):
            host = _host(task)
            found.append(Wait(WaitKind.BOUNDARY, _bpmn_id(task), wakeable=task.id in registered,
                              host=_bpmn_id(host) if host is not None else None,
                              open=host is not None and _has_open_work(wf, host)))
        elif _is_activity(task):
            found.append(Wait(WaitKind.ACTIVITY, _bpmn_id(task), open=_has_open_work(wf, task)))
        elif task.state == TaskState.WAITING and isinstance(task.task_spec, Join):
            found.append(Wait(WaitKind.JOIN, _bpmn_id(task)))
    return found
