"""One running workflow: what the engine asks of SpiffWorkflow, in the engine's own terms.

A `Runtime` is loaded from stored state, changed by exactly one operation (complete a
task, fire due timers, cancel) and dumped again. Any SpiffWorkflow failure becomes a
`ProcessError`, and so does a step that leaves a running workflow unable to move on
(`engine.invariants`); the caller then discards this object, so the stored state never changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from uuid import UUID

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from ..errors import ProcessError
from ..invariants import Wait, ensure_progress
from .calls import CalledProcesses, CallingWorkflow, Chosen, Resolve
from .definitions import ProcessModel
from .rewind import reset, rewind_repeated_activity
from .scripts import make_script_engine
from .snapshot import differences, snapshot
from .state import dump_state, load_state
from .waits import waits_of

_LONG_AGO = "1970-01-01T00:00:00+00:00"
_FAR_AHEAD = "9999-01-01T00:00:00+00:00"


@dataclass(frozen=True)
class HumanTask:
    """An activation of a user, manual or plain task a person can complete now."""

    spiff_id: str
    bpmn_id: str
    name: str
    lane: str | None              # the lane's id; `lane_name` as Spiff and spiff-arena's `lane_owners` know it
    lane_name: str | None
    form_file: str | None
    ui_file: str | None
    instructions: str | None
    assignee: str | None          # from the task's `assignee` property, e.g. a committee member
    due_at: datetime | None
    data: dict = field(repr=False, compare=False)
    definition: object = None     # key of the called process's version it belongs to; None: the instance's own


@dataclass(frozen=True)
class FiredTimer:
    bpmn_id: str
    name: str
    properties: dict
    attached_to: str | None       # the BPMN id of the activity the timer sits on


def _props(spec) -> dict:
    return dict((getattr(spec, "extensions", None) or {}).get("properties", {}))


def _is_timer(task) -> bool:
    return isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)


def _due(task) -> datetime | None:
    """The UTC time a waiting timer fires, computing and storing it on first use."""
    value = task._get_internal_data("event_value")
    if value is None:
        task.task_spec.event_definition.has_fired(task)
        value = task._get_internal_data("event_value")
    if isinstance(value, dict):                      # cycle timers keep {'next': iso, ...}
        value = value.get("next")
    if not isinstance(value, str):
        return None
    due = datetime.fromisoformat(value)
    return due if due.tzinfo else due.replace(tzinfo=timezone.utc)


def _host_split(task):
    """The boundary-event split above an activity (or above its multi-instance wrapper)."""
    node = task
    if node.parent is not None and isinstance(node.parent.task_spec, MultiInstanceTask):
        node = node.parent
    parent = node.parent
    return parent if parent is not None and isinstance(parent.task_spec, BoundaryEventSplit) else None


class Runtime:
    """A loaded workflow plus its process model."""

    def __init__(self, model: ProcessModel, workflow: BpmnWorkflow):
        self.model = model
        self.workflow = workflow
        self._human: list[HumanTask] | None = None     # valid until the workflow runs again

    # -- loading and saving ---------------------------------------------------------
    @classmethod
    def start(cls, model: ProcessModel, data: dict, functions: dict, resolve: Resolve | None = None) -> "Runtime":
        """A new workflow; `resolve(process_id) -> (key, model)` finds the latest deployed version
        of a process a call activity calls."""
        wf = CallingWorkflow(model.spec, CalledProcesses(model, None, resolve),
                             script_engine=make_script_engine(functions))
        for task in wf.get_tasks(state=TaskState.READY):
            task.data.update(data)
        rt = cls(model, wf)
        rt._run(lambda: None)
        return rt

    @classmethod
    def load(cls, model: ProcessModel, state: str, functions: dict, chosen: Chosen | None = None,
             resolve: Resolve | None = None) -> "Runtime":
        """A stored workflow; `chosen` holds the versions its calls started with (see `calls()`)."""
        wf = load_state(state, model.spec, CalledProcesses(model, chosen, resolve))
        wf.script_engine = make_script_engine(functions)
        return cls(model, wf)

    def bind(self, functions: dict, resolve: Resolve | None = None) -> None:
        """Give a cached runtime the directory functions and catalog of the current transaction."""
        self.workflow.script_engine = make_script_engine(functions)
        self.workflow.subprocess_specs = CalledProcesses(self.model, self.workflow.subprocess_specs.chosen, resolve)

    def calls(self) -> dict[str, tuple[object, str]]:
        """The version each running or finished call runs: call task id -> (key, call activity id)."""
        return self.workflow.subprocess_specs.live(self.workflow)

    def called_models(self) -> Chosen:
        """The same choices as `load` takes them back: call task id -> (key, model)."""
        return dict(self.workflow.subprocess_specs.chosen)

    def dump(self) -> str:
        return dump_state(self.workflow)

    def differences_from(self, other: "Runtime") -> list[str]:
        """Where this workflow differs from `other` in anything that decides its next step."""
        return differences(snapshot(self.workflow), snapshot(other.workflow))

    # -- reading ----------------------------------------------------------------------
    completed = property(lambda self: self.workflow.is_completed())

    def waits(self) -> list[Wait]:
        """What the workflow waits for: open human tasks and events (see `engine.invariants`)."""
        return waits_of(self.workflow)

    def human_tasks(self) -> list[HumanTask]:
        if self._human is None:
            self._human = self._find_human_tasks()
        return list(self._human)

    def _find_human_tasks(self) -> list[HumanTask]:
        found = []
        for task in self.workflow.get_tasks(state=TaskState.READY, manual=True):
            spec = task.task_spec
            props = _props(spec)
            assignee_var = props.get("assignee")
            key, _model, lane, lane_name = self.workflow.subprocess_specs.placement(task)
            found.append(HumanTask(
                str(task.id), spec.bpmn_id, spec.bpmn_name or spec.bpmn_id, lane, lane_name,
                form_file=props.get("formJsonSchemaFilename"), ui_file=props.get("formUiSchemaFilename"),
                instructions=(spec.extensions or {}).get("instructionsForEndUser"),
                assignee=task.data.get(assignee_var) if assignee_var else None,
                due_at=self._task_due(task), data=task.data, definition=key,
            ))
        return found

    def _task_due(self, task) -> datetime | None:
        split = _host_split(task)
        if split is None:
            return None
        dues = [_due(t) for t in split.children if t.state == TaskState.WAITING and _is_timer(t)]
        dues = [d for d in dues if d is not None]
        return min(dues) if dues else None

    def next_timer_at(self) -> datetime | None:
        dues = [_due(t) for t in self.workflow.event_manager.tasks.values() if _is_timer(t)]
        dues = [d for d in dues if d is not None]
        return min(dues) if dues else None

    @property
    def data(self) -> dict:
        """The freshest task data: an open user task's, else the last completed task's."""
        ready = self.human_tasks()
        if ready:
            return ready[0].data
        last = self.workflow.last_task
        return last.data if last is not None else dict(self.workflow.data)

    def outcome(self) -> str | None:
        """The `outcome` property of the end event the process finished at, if any."""
        for task in self.workflow.get_tasks(state=TaskState.COMPLETED, skip_subprocesses=True):
            if isinstance(task.task_spec, EndEvent) and _props(task.task_spec).get("outcome"):
                return _props(task.task_spec)["outcome"]
        return None

    # -- changing ---------------------------------------------------------------------
    def complete(self, spiff_id: str, data: dict) -> bool:
        """Complete a READY human task (user, manual or plain); False if it is not (any longer) READY."""
        try:
            task = self.workflow.get_task_from_id(UUID(spiff_id))
        except (SpiffWorkflowException, ValueError):
            return False
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            return False

        def run():
            task.data.update(data)
            task.run()
        self._run(run)
        return True

    def fire_due_timers(self, now: datetime) -> list[FiredTimer]:
        """Fire exactly the timers due by `now`. SpiffWorkflow fires whatever is due by the wall clock
        when asked to look, so a timer not chosen (e.g. due a moment after `now`) is held back while it
        looks: else it would fire unrecorded, its notification never sent."""
        fired, notify_only, held = [], [], []
        for task in list(self.workflow.event_manager.tasks.values()):
            due = _due(task) if _is_timer(task) else None
            if due is None or due > now or task.state != TaskState.WAITING:
                if due is not None:
                    held.append((task, task._get_internal_data("event_value")))
                continue
            split = task.parent if isinstance(task.parent.task_spec, BoundaryEventSplit) else None
            host = next((c.task_spec.bpmn_id for c in split.children
                         if c is not task and not _is_timer(c)), None) if split else None
            fired.append(FiredTimer(task.task_spec.bpmn_id, task.task_spec.bpmn_name or "",
                                    _props(task.task_spec), host))
            if _props(task.task_spec).get("notify"):
                notify_only.append(task)
            task._set_internal_data(event_value=_LONG_AGO)   # due by our clock: let Spiff see it so
        if fired:
            for task, value in held:
                task._set_internal_data(event_value={**value, "next": _FAR_AHEAD} if isinstance(value, dict)
                                        else _FAR_AHEAD)
            try:
                self._run(self.workflow.refresh_timers)
            finally:
                for task, value in held:
                    task._set_internal_data(event_value=value)
        for task in notify_only:
            # A notify-only branch needs no data. Left alone, the copy it took when the review
            # began (an earlier round's answers) is deep-merged back when the process joins.
            for done in task:
                if done.state == TaskState.COMPLETED:
                    done.data.clear()
        return fired

    def cancel(self) -> None:
        self._human = None
        self.workflow.cancel()

    def running_calls(self) -> set[str]:
        """BPMN ids of the call activities whose called process runs now (for the diagram)."""
        return self.workflow.subprocess_specs.running(self.workflow)

    def answers_alone(self, spiff_id: str, bpmn_id: str | None = None) -> bool:
        """Whether this task's answer is its step's only one: an activity of its own, not one of a
        multi-instance's children (a committee vote). When the workflow no longer holds the task (a
        return rewound past it), the model says so for `bpmn_id`, a step of this process's own (not a
        called one's); without it, False, so the caller reads the step's other answers."""
        try:
            task = self.workflow.get_task_from_id(UUID(spiff_id))
        except (SpiffWorkflowException, ValueError):
            task = None
        if task is None:
            return bpmn_id is not None and bpmn_id in self.model.answered_alone
        return not (task.parent is not None and isinstance(task.parent.task_spec, MultiInstanceTask))

    def completed_ids(self) -> set[str]:
        """BPMN ids of every element that has run in the current tree (for the diagram)."""
        return {t.task_spec.bpmn_id for t in self.workflow.get_tasks(state=TaskState.COMPLETED)
                if getattr(t.task_spec, "bpmn_id", None)}

    def rewind_to(self, bpmn_id: str) -> bool:
        """Make the latest completed run of human task `bpmn_id` ready again (admin rewind)."""
        done = [t for t in self.workflow.get_tasks(state=TaskState.COMPLETED)
                if t.task_spec.manual and t.task_spec.bpmn_id == bpmn_id]
        if not done:
            return False
        target = done[-1]

        self._run(lambda: reset(self.workflow, target, dict(target.data)))
        return True

    def _run(self, step) -> None:
        self._human = None
        try:
            step()
            self.workflow.do_engine_steps()
            while rewind_repeated_activity(self.workflow):
                self.workflow.do_engine_steps()
        except SpiffWorkflowException as exc:
            spec = getattr(getattr(exc, "task", None), "task_spec", None)
            element = getattr(spec, "bpmn_id", "") or getattr(spec, "name", "") or ""
            message = str(exc).split("\n")[0]
            raise ProcessError(message, element=element, line=getattr(exc, "line_number", "") or "") from exc
        ensure_progress(self.completed, self.waits())
