"""Parse a bundle of BPMN/DMN/form files into process models the runtime can execute.

A bundle is a mapping of file name -> text, exactly what a deployment stores in the
database, so any process can rebuild the same models from the database alone.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity, SubWorkflowTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ManualTask, UserTask

from ..errors import DeployError
from .checks import check_code_of, check_references, check_supported, executable, line_of
from .wiring import complete_wiring

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN_NS}
FORM_KEYS = ("formJsonSchemaFilename", "formUiSchemaFilename")
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"


@dataclass
class ProcessModel:
    """One executable process: its parsed spec plus what the engine needs around it."""

    process_id: str
    name: str
    main_file: str
    spec: object
    subprocess_specs: dict            # embedded subprocesses by id; called processes are resolved at run time
    lane_of: dict[str, str]           # flow-node id -> lane id (subprocess children inherit)
    lane_names: dict[str, str]        # lane id -> displayed label
    files: dict[str, str]             # every file this process needs, forms included
    forms: dict[str, dict] = field(default_factory=dict)   # form file name -> parsed JSON
    names: dict[str, str] = field(default_factory=dict)    # element id -> name, document order
    user_tasks: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # id -> forms
    end_outcomes: dict[str, str] = field(default_factory=dict)     # end event id -> outcome
    kinds: dict[str, str] = field(default_factory=dict)            # human task id -> user/manual/task
    properties: dict[str, str] = field(default_factory=dict)       # the process element's own properties
    account_sections: dict[str, str] = field(default_factory=dict)  # user task id -> `accountSection`
    checks_coverage: frozenset[str] = frozenset()  # user task ids with `checkCoverage` (decision-unit coverage)
    calls: dict[str, str] = field(default_factory=dict)            # call activity id -> called process id

    def form(self, filename: str | None) -> dict | None:
        return self.forms.get(filename) if filename else None

    @property
    def start_form(self) -> tuple[str | None, str | None]:
        """The form a person fills in to start the process (named like a user task's form)."""
        return self.properties.get(FORM_KEYS[0]), self.properties.get(FORM_KEYS[1])

    @property
    def offered_at_first_deploy(self) -> bool:
        """False when the process says another part of the product starts it (`catalog` = `not offered`)."""
        return self.properties.get("catalog", "").strip().lower() != "not offered"

    @property
    def display_name_field(self) -> str | None:
        """The (dotted) data field an instance is called by, e.g. `project_name`."""
        return self.properties.get("displayNameField") or None

    @property
    def start_lanes(self) -> list[str | None]:
        """The lane of each of the process's own start events (None: outside any lane)."""
        return [self.lane_of.get(getattr(event, "bpmn_id", None) or "") for event in self.spec.start.outputs]

    @cached_property
    def answered_alone(self) -> frozenset[str]:
        """The steps (of this process and its embedded subprocesses) one person answers for the round,
        as opposed to a multi-instance's many answers (a committee's votes), whose children share its id."""
        specs = [s for spec in (self.spec, *self.subprocess_specs.values()) for s in spec.task_specs.values()]
        many = {s.bpmn_id for s in specs if isinstance(s, MultiInstanceTask)}
        return frozenset(s.bpmn_id for s in specs if getattr(s, "bpmn_id", None) and s.bpmn_id not in many)

    @property
    def account_field(self) -> str | None:
        """The data field holding a key-account project's account id (`accountField`); None for
        processes whose instances are not key-account projects."""
        return self.properties.get("accountField") or None


def _parse_xml(name: str, text: str):
    try:
        return etree.fromstring(text.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise DeployError(f"not well-formed XML: {exc.msg}", file=name, line=exc.lineno) from exc


def _lanes(process) -> tuple[dict[str, str], dict[str, str]]:
    lane_of, names = {}, {}
    for lane in process.iterfind(".//bpmn:lane", NS):   # document order: inner lanes win
        names[lane.get("id")] = lane.get("name") or lane.get("id")
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            lane_of[(ref.text or "").strip()] = lane.get("id")
    for sub in process.iterfind(".//bpmn:subProcess", NS):
        lane = lane_of.get(sub.get("id"))
        if lane:
            for child in sub.iter():
                if child.get("id") and child.get("id") not in lane_of:
                    lane_of[child.get("id")] = lane
    return lane_of, names


def _user_task_forms(specs) -> list[tuple[object, str]]:
    found = []
    for spec in specs:
        for ts in spec.task_specs.values():
            if isinstance(ts, UserTask):
                props = (ts.extensions or {}).get("properties", {})
                found.extend((ts, props[k]) for k in FORM_KEYS if props.get(k))
    return found


def _process_properties(process_el) -> dict[str, str]:
    """`spiffworkflow:property` elements on the process itself (Spiff reads them only on tasks)."""
    path = "bpmn:extensionElements/spiff:properties/spiff:property"
    return {p.get("name"): p.get("value", "") for p in process_el.xpath(path, namespaces={**NS, "spiff": SPIFF_NS})
            if p.get("name")}


def _account_sections(specs) -> dict[str, str]:
    """User tasks whose form shows a part of the project's account (`accountSection`)."""
    return {ts.bpmn_id: props["accountSection"] for spec in specs for ts in spec.task_specs.values()
            if isinstance(ts, UserTask) and (props := (ts.extensions or {}).get("properties", {})).get("accountSection")}


def _checks_coverage(specs) -> frozenset[str]:
    """User tasks that check the project's decision-unit coverage before they complete."""
    return frozenset(ts.bpmn_id for spec in specs for ts in spec.task_specs.values() if isinstance(ts, UserTask)
                     and str((ts.extensions or {}).get("properties", {}).get("checkCoverage", "")).lower() == "true")


def _kinds(specs) -> dict[str, str]:
    """What a person does at each task a person completes: fill a form, or do it and confirm."""
    return {ts.bpmn_id: "user" if isinstance(ts, UserTask) else "manual" if isinstance(ts, ManualTask) else "task"
            for spec in specs for ts in spec.task_specs.values() if ts.manual and getattr(ts, "bpmn_id", None)}


def _describe(process_el, specs) -> tuple[dict, dict, dict]:
    """Element names (document order), user tasks with their forms, end events' outcomes."""
    names = {el.get("id"): el.get("name") for el in process_el.iter() if el.get("id") and el.get("name")}
    order = [el.get("id") for el in process_el.iterfind(".//bpmn:userTask", NS)]
    by_id = {getattr(ts, "bpmn_id", None): ts for spec in specs for ts in spec.task_specs.values()}
    user_tasks = {}
    for bpmn_id in order:
        props = (getattr(by_id.get(bpmn_id), "extensions", None) or {}).get("properties", {})
        user_tasks[bpmn_id] = (props.get(FORM_KEYS[0]), props.get(FORM_KEYS[1]))
    outcomes = {}
    for ts in by_id.values():
        props = (getattr(ts, "extensions", None) or {}).get("properties", {})
        if props.get("outcome") and ts is not None:
            outcomes[ts.bpmn_id] = props["outcome"]
    return names, user_tasks, outcomes


def _embedded_and_called(parser, spec) -> tuple[dict, dict[str, str]]:
    """The embedded subprocesses `spec` needs (by id), and what its call activities call.

    A called process is not part of the caller: it is found among everything deployed, in
    its latest version, when the call starts (spiff-arena's rule; see engine/spiff/calls.py).
    """
    embedded, calls, todo = {}, {}, [spec]
    while todo:
        for ts in todo.pop().task_specs.values():
            if isinstance(ts, CallActivity):
                calls[ts.bpmn_id] = ts.spec
            elif isinstance(ts, SubWorkflowTask) and ts.spec not in embedded:
                embedded[ts.spec] = parser.get_spec(ts.spec)
                todo.append(embedded[ts.spec])
    return embedded, calls


def _check_calls(calls: dict[str, str], bundled: set[str], deployed, file: str, root) -> None:
    """A call activity must name a process that is deployed already or in the same bundle."""
    for activity, called in calls.items():
        if called not in bundled and not deployed(called):
            raise DeployError(f"call activity calls process {called!r}, which is not deployed; deploy it first "
                              "or together with this file", file=file, line=line_of(root, activity), element=activity)


def _load_form(name: str, text: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeployError(f"form is not valid JSON: {exc.msg}", file=name, line=exc.lineno) from exc


def parse_bundle(files: dict[str, str], form_lookup=None, deployed=None) -> dict[str, ProcessModel]:
    """Parse every BPMN/DMN in `files`; return each executable process by id.

    `form_lookup(bpmn_file, form_name) -> text | None` finds form files that are not in `files`
    yet (at deploy time), beside the BPMN file that names them; at load time the bundle already
    holds them. `deployed(process_id) -> bool`, given at deploy time, says whether a process a
    call activity names is deployed already.
    """
    parser = SpiffBpmnParser()
    roots = {}
    for name in sorted(files):
        if name.endswith(".dmn"):
            roots[name] = _parse_xml(name, files[name])
            with _deploy_errors(name, roots[name]):
                parser.add_dmn_xml(roots[name], filename=name)
    for name in sorted(files):
        if name.endswith(".bpmn"):
            roots[name] = _parse_xml(name, files[name])
            check_references(name, roots[name])
            check_supported(name, roots[name])
            with _deploy_errors(name, roots[name]):
                parser.add_bpmn_xml(roots[name], filename=name)
    models = {}
    bundled = set(parser.get_process_ids())
    for pid in sorted(bundled):
        pp = parser.get_process_parser(pid)
        main = pp.filename
        root = roots[main]
        with _deploy_errors(main, root):
            spec = parser.get_spec(pid)
            subs, calls = _embedded_and_called(parser, spec)
        for one in (spec, *subs.values()):
            check_code_of(one, main, root)
            complete_wiring(one)
        if deployed is not None:
            _check_calls(calls, bundled, deployed, main, root)
        process_el = root.xpath(".//bpmn:process[@id=$i]", namespaces=NS, i=pid)[0]
        lane_of, lane_names = _lanes(process_el)
        needed = {n: t for n, t in files.items() if n.endswith(".dmn") or n == main}
        properties = _process_properties(process_el)
        wanted = [(pid, properties[k]) for k in FORM_KEYS if properties.get(k)]
        wanted += [(ts.bpmn_id, name) for ts, name in _user_task_forms([spec, *subs.values()])]
        forms = {}
        for element, form_name in wanted:
            text = files.get(form_name)
            if text is None and form_lookup is not None:
                text = form_lookup(main, form_name)
            if text is None:
                raise DeployError(f"form file {form_name!r} not found", file=main,
                                  line=line_of(root, element), element=element)
            needed[form_name] = text
            forms[form_name] = _load_form(form_name, text)
        models[pid] = ProcessModel(pid, process_el.get("name") or pid, main, spec, subs,
                                   lane_of, lane_names, needed, forms, *_describe(process_el, [spec, *subs.values()]),
                                   kinds=_kinds([spec, *subs.values()]), properties=properties,
                                   account_sections=_account_sections([spec, *subs.values()]), calls=calls,
                                   checks_coverage=_checks_coverage([spec, *subs.values()]))
    if not models:
        raise DeployError("no executable process found", file=", ".join(sorted(files)))
    return models


@contextmanager
def _deploy_errors(file: str, root):
    """Turn SpiffWorkflow's parse errors into a DeployError naming file, line and element."""
    try:
        yield
    except ValidationException as exc:
        element = getattr(exc, "id", "") or ""
        line = getattr(exc, "line_number", "") or line_of(root, element)
        raise DeployError(str(exc).split("\n")[0], file=exc.file_name or file, line=line,
                          element=element) from exc
    except SpiffWorkflowException as exc:
        raise DeployError(str(exc).split("\n")[0], file=file) from exc
