"""What the UI reads from a process model: element names, task forms, end events.

The BPMN is the instance's deployed version (`Engine.diagram`); until the engine hands
out the deployed forms too, they are found by the engine's own `form_finder`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import current_app
from lxml import etree

from engine.catalog import form_finder
from engine.views import InstanceView

from .current import engine

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"


@dataclass(frozen=True)
class ProcessInfo:
    names: dict[str, str] = field(default_factory=dict)       # element id -> name
    forms: dict[str, dict] = field(default_factory=dict)      # user task id -> JSON Schema
    end_events: dict[str, str] = field(default_factory=dict)  # outcome -> end event id
    user_tasks: tuple[str, ...] = ()                           # in document order


def bpmn_text(view: InstanceView) -> str:
    return engine().diagram(view.id)["bpmn"]


def process_info(view: InstanceView) -> ProcessInfo:
    """Names, forms and end events of the instance's deployed process."""
    return _parse(bpmn_text(view), current_app.config["WORKFLOWS_DIR"], str(engine().forms_dir))


@lru_cache(maxsize=16)
def _parse(text: str, workflows_dir: str, forms_dir: str) -> ProcessInfo:
    root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    lookup = form_finder({}, Path(workflows_dir), Path(forms_dir))
    info = ProcessInfo()
    tasks = []
    for el in root.iter(f"{{{BPMN}}}*"):
        eid, name, local = el.get("id"), el.get("name"), etree.QName(el).localname
        if eid and name:
            info.names[eid] = name
        props = {p.get("name"): p.get("value") for p in el.iterfind(f".//{{{SPIFF}}}property")}
        if local == "userTask" and eid:
            tasks.append(eid)
            form = props.get("formJsonSchemaFilename")
            found = lookup("", form) if form else None
            if found:
                info.forms[eid] = json.loads(found)
        if local == "endEvent" and props.get("outcome"):
            info.end_events[props["outcome"]] = eid
    return ProcessInfo(info.names, info.forms, info.end_events, tuple(tasks))
