"""Finish wiring a parsed spec before any workflow runs on it.

SpiffWorkflow 3.2.0 completes some specs only while a workflow runs, in the memory of
the process that runs it:

- a loop or multi-instance activity connects its child's `completed_event` to its own
  `merge_child` when it creates its first child (`LoopTask.create_child`);
- an event subprocess started by a message, signal, error or escalation is connected to
  its process's start and end when it is first triggered (`BpmnStartTask.trigger_wf`).

The library's own serializer stores the spec inside every saved workflow and re-connects
`merge_child` when it restores one. We store state without the spec (see `state.py`) and
parse specs afresh in each process, so a process that did not run those lines itself
never merges finished votes (the instance waits forever with no open task) and cannot
finish an event subprocess ("No input task connected"). Wiring both here, at parse time,
gives every process the same spec and turns the library's run-time wiring into no-ops.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask


def complete_wiring(spec) -> None:
    """Connect what SpiffWorkflow would otherwise connect only at run time; idempotent."""
    for task_spec in list(spec.task_specs.values()):
        if isinstance(task_spec, LoopTask):
            child = spec.task_specs[task_spec.task_spec]
            if not child.completed_event.is_connected(task_spec.merge_child):
                child.completed_event.connect(task_spec.merge_child)
    start = spec.start
    for name in start.trigger_specs:
        event_subprocess = spec.task_specs[name]
        if start not in event_subprocess.inputs:
            # Inputs only: were it one of start's outputs, every new instance would open the
            # event subprocess at once and then wait for its event before it could end.
            event_subprocess._connect_notify(start)
            event_subprocess.connect(spec.end)
