"""Store a workflow's state without its spec.

SpiffWorkflow's default serializer embeds the whole parsed spec in every saved
instance; we keep specs per deployed version instead (parsed once, cached), so the
stored document holds only tasks and data and loading skips re-building the spec.
"""
from __future__ import annotations

import json

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from uuid import UUID

from .calls import CallingWorkflow, SubWorkflowConverter


class _StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Like the default converter, minus `spec` and `subprocess_specs`."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _make_serializer() -> BpmnWorkflowSerializer:
    config = dict(SPIFF_CONFIG)   # a copy: never mutate the library's shared config
    config[BpmnWorkflow] = _StateOnlyWorkflowConverter
    config[BpmnSubWorkflow] = SubWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    # stored as "BpmnWorkflow" like before, restored as the workflow that resolves called processes
    _StateOnlyWorkflowConverter(CallingWorkflow, registry, typename="BpmnWorkflow")
    return BpmnWorkflowSerializer(registry)


_SERIALIZER = _make_serializer()
SERIALIZER_VERSION = _SERIALIZER.VERSION


def dump_state(workflow: BpmnWorkflow) -> str:
    dct = _SERIALIZER.to_dict(workflow)
    return json.dumps(dct, cls=_SERIALIZER._encoder_cls, separators=(",", ":"), ensure_ascii=False)


def load_state(text: str, spec, subprocess_specs) -> BpmnWorkflow:
    dct = json.loads(text, cls=_SERIALIZER.json_decoder_cls)
    return _SERIALIZER.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)
