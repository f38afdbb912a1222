"""Call activities across deployments, as spiff-arena runs them.

A call activity names a process id. The called process is found among everything deployed
and runs the version that is the latest *when the call starts*; that choice is kept per
call (the call activity's task id -> the chosen version's key), so a reload, in any process,
runs the same version to its end, while the calling instance keeps its own version.

SpiffWorkflow looks called specs up by name in the top workflow's `subprocess_specs`. Here
that mapping is a `CalledProcesses`: it knows which model each running (sub)workflow came
from, resolves a new call through the engine's `resolve(process_id) -> (key, model)`, and
hands each restored subprocess the spec it was started with.
"""
from __future__ import annotations

from typing import Any, Callable
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnSubWorkflowConverter
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from .definitions import ProcessModel

Resolve = Callable[[str], tuple[Any, ProcessModel]]
Chosen = dict[str, tuple[Any, ProcessModel]]     # call activity's task id -> (key, model)


class CalledProcesses(dict):
    """`subprocess_specs` of one running workflow (a dict by name, for code that just reads it)."""

    def __init__(self, model: ProcessModel, chosen: Chosen | None = None, resolve: Resolve | None = None):
        self.model = model
        self.chosen: Chosen = dict(chosen or {})
        self.resolve = resolve
        self._looked_up: dict[str, tuple[Any, ProcessModel] | None] = {}
        super().__init__(model.subprocess_specs)
        for _key, called in self.chosen.values():
            self._add(called)

    def _add(self, called: ProcessModel) -> None:
        self.setdefault(called.process_id, called.spec)
        for name, spec in called.subprocess_specs.items():
            self.setdefault(name, spec)

    def __bool__(self) -> bool:        # BpmnWorkflow replaces a falsy mapping by {}
        return True

    def __contains__(self, name) -> bool:
        """Asked before a subprocess starts: an embedded one is here, a called one deployed."""
        return super().__contains__(name) or self._latest(name) is not None

    def _latest(self, process_id: str) -> tuple[Any, ProcessModel] | None:
        if process_id not in self._looked_up:
            self._looked_up[process_id] = self.resolve(process_id) if self.resolve else None
        return self._looked_up[process_id]

    # -- which model a task belongs to --------------------------------------------------
    def model_of(self, workflow) -> tuple[Any, ProcessModel]:
        """(key, model) of the process definition `workflow` (top or sub) runs; key None: the instance's."""
        if workflow.parent_task_id is None:
            return None, self.model
        parent = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
        return self.chosen.get(str(parent.id)) or self.model_of(parent.workflow)

    def placement(self, task) -> tuple[Any, ProcessModel, str | None, str | None]:
        """(key, model, lane id, lane name) of a task. A task without a lane in a called process
        takes the lane of the call activity that called it, as nodes in an embedded subprocess do."""
        key, model = self.model_of(task.workflow)
        owner, node = model, task
        lane = owner.lane_of.get(node.task_spec.bpmn_id)
        while lane is None and node.workflow.parent_task_id is not None:
            node = node.workflow.top_workflow.get_task_from_id(node.workflow.parent_task_id)
            _key, owner = self.model_of(node.workflow)
            lane = owner.lane_of.get(node.task_spec.bpmn_id)
        name = owner.lane_names.get(lane) if lane else None
        return key, model, lane, name or (task.task_spec.lane if node is task else None)

    # -- the spec a subprocess runs -----------------------------------------------------
    def spec_for(self, task, name: str):
        """The spec of the subprocess `task` starts (or started): a call takes the latest
        deployed version the first time and keeps it; an embedded one comes with its model."""
        if isinstance(task.task_spec, CallActivity):
            tid = str(task.id)
            if tid not in self.chosen:
                latest = self._latest(name)
                if latest is None:
                    return None
                self.chosen[tid] = latest
                self._add(latest[1])
            return self.chosen[tid][1].spec
        _key, owner = self.model_of(task.workflow)
        return owner.subprocess_specs.get(name)

    def live(self, workflow: BpmnWorkflow) -> dict[str, tuple[Any, str]]:
        """The choices still in the workflow: call task id -> (key, call activity id)."""
        present = {str(tid) for tid in workflow.subprocesses}
        return {tid: (key, workflow.get_task_from_id(UUID(tid)).task_spec.bpmn_id)
                for tid, (key, _m) in self.chosen.items() if tid in present}

    @staticmethod
    def running(workflow: BpmnWorkflow) -> set[str]:
        """BPMN ids of the call activities whose called process runs now."""
        return {t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.STARTED)
                if isinstance(t.task_spec, CallActivity)}


class CallingWorkflow(BpmnWorkflow):
    """A BpmnWorkflow whose subprocesses get their spec from `CalledProcesses`, by task."""

    def create_subprocess(self, my_task, spec_name):
        specs = self.subprocess_specs
        spec = specs.spec_for(my_task, spec_name) if isinstance(specs, CalledProcesses) else specs[spec_name]
        subprocess = BpmnSubWorkflow(spec, parent_task_id=my_task.id, top_workflow=self)
        self.subprocesses[my_task.id] = subprocess
        return subprocess

    def delete_subprocess(self, my_task):
        """A rewind drops a call's subprocess: when the call starts again, it takes the latest version."""
        if isinstance(self.subprocess_specs, CalledProcesses):
            self.subprocess_specs.chosen.pop(str(my_task.id), None)
        return super().delete_subprocess(my_task)


class SubWorkflowConverter(BpmnSubWorkflowConverter):
    """Restores each subprocess with the spec it was started with (not the newest by name)."""

    def from_dict(self, dct, task, top_workflow):
        specs = top_workflow.subprocess_specs
        spec = specs.spec_for(task, task.task_spec.spec) if isinstance(specs, CalledProcesses) \
            else specs.get(task.task_spec.spec)
        subprocess = self.target_class(spec, task.id, top_workflow, deserializing=True)
        subprocess.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=subprocess)
        subprocess.task_tree = subprocess.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(subprocess, dct)
        return subprocess
