"""Keeping the task tree bounded: a loop rewinds to an activity's first run instead of growing.

A return sends the process back to an earlier activity, and SpiffWorkflow appends a fresh
copy of everything after it each round (at ~164 rounds 3.2.0 raises `RecursionError`).
Rewinding to the activity's first completed occurrence, carrying the current data, keeps
the tree at one copy; the audit log, not the tree, is the history.
"""
from __future__ import annotations

import copy

from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

_LIVE = TaskState.READY | TaskState.STARTED | TaskState.WAITING


def rewind_repeated_activity(wf: BpmnWorkflow) -> bool:
    """Rewind one re-entered activity to its first run; False when there is none to rewind.

    Skipped when other live work (e.g. an unrelated parallel branch) would be lost.
    """
    top = wf.get_tasks(skip_subprocesses=True)
    for task in top:
        if not task.has_state(TaskState.READY | TaskState.STARTED):
            continue
        if not (task.task_spec.manual or isinstance(task.task_spec, SubWorkflowTask)):
            continue
        first = next((t for t in top if t.task_spec is task.task_spec
                      and t.state == TaskState.COMPLETED and _is_ancestor(t, task)), None)
        if first is None or _other_live_work(first, task):
            continue
        current = task.data      # the reset deep-merges the first round's data over what it is given:
        reset(wf, first, copy.deepcopy(current))
        first.data = current     # put back the current values (a loop counter, a changed answer)
        return True
    return False


def reset(wf: BpmnWorkflow, task, data: dict) -> None:
    """`reset_from_task_id`, minus the timers 3.2.0 leaves behind in the event manager."""
    for gone in wf.reset_from_task_id(task.id, data=data):
        wf.event_manager.remove_task(gone)
    em = wf.event_manager
    for tid in list(em.tasks):
        try:
            alive = wf.get_task_from_id(tid)
        except SpiffWorkflowException:
            alive = None
        if alive is None or alive is not em.tasks[tid]:
            em.tasks.pop(tid, None)


def _other_live_work(first, task) -> bool:
    keep = {id(t) for t in task}   # the task itself and its own descendants
    return any(t.has_state(_LIVE) and id(t) not in keep for t in first if t is not first)


def _is_ancestor(candidate, task) -> bool:
    node = task.parent
    while node is not None:
        if node is candidate:
            return True
        node = node.parent
    return False
