"""A comparable picture of a loaded workflow: everything that decides what it does next.

Used to prove that a workflow kept in memory between requests equals a fresh load of its
stored state. The stored text alone would not do: it leaves out the event manager, the
in-memory wiring of specs and subprocesses, and the Python types of task data (a tuple
and a list dump to the same JSON but behave differently in the next script). Task data is
compared with Python's `==`, which tells a tuple from a list and a date from a string.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

_EVENTS = ("update_event", "ready_event", "completed_event", "error_event", "cancelled_event", "run_event")


def _subscribers(event) -> list[tuple]:
    """Who an `Event` calls: the callback's owner, its name, and any bound arguments."""
    found = []
    for callback, args, _kwargs in (event.hard_subscribers or []):
        owner = getattr(getattr(callback, "__self__", None), "name", None)
        found.append((owner, getattr(callback, "__qualname__", repr(callback)),
                      tuple(str(getattr(a, "id", a)) for a in args)))
    return sorted(found, key=repr)


def _spec_wiring(spec) -> dict:
    return {name: (tuple(ts._inputs), tuple(ts._outputs),
                   tuple((e, tuple(_subscribers(getattr(ts, e)))) for e in _EVENTS))
            for name, ts in spec.task_specs.items()} | {"(triggers)": tuple(spec.start.trigger_specs)}


def _workflow(wf) -> dict:
    return {
        "spec": wf.spec.name,
        "data": (wf.data,),
        "completed": wf.completed,
        "success": wf.success,
        "last_task": str(wf.last_task.id) if wf.last_task is not None else None,
        "correlations": (wf.correlations,),
        "completed_event": _subscribers(wf.completed_event),
        "tasks": {str(t.id): (t.task_spec.name, t.state, t.triggered, str(t.parent.id) if t.parent else None,
                              [str(c.id) for c in t.children], t.data, t.internal_data)
                  for t in wf.tasks.values()},
    }


def snapshot(wf: BpmnWorkflow) -> dict:
    return {
        "workflow": _workflow(wf),
        "subprocesses": {str(tid): _workflow(sp) for tid, sp in wf.subprocesses.items()},
        "waiting_events": sorted(str(tid) for tid in wf.event_manager.tasks),
        "pending_events": len(wf.bpmn_events),
        "specs": {name: _spec_wiring(spec) for name, spec in [(wf.spec.name, wf.spec),
                                                              *wf.subprocess_specs.items()]},
    }


def differences(a: dict, b: dict, path: str = "") -> list[str]:
    """Paths at which two snapshots differ (at most a few, for a readable message)."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                found.append(f"{path}/{key}: only in {'the first' if key in a else 'the second'}")
            else:
                found.extend(differences(a[key], b[key], f"{path}/{key}"))
        return found[:10]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"[:500]]
