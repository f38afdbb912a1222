"""Deploy-time checks of a model, so a flaw is refused with its file, line and element
instead of reaching a user as a failed step."""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask

from ..errors import DeployError
from .scripts import ScriptRefused, check_code

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
UNSUPPORTED = {   # elements SpiffWorkflow 3.2.0 parses but cannot run: refuse them at deploy
    "adHocSubProcess": "SpiffWorkflow 3.2 fails when it starts one (KeyError 'data_objects')",
}


def executable(process) -> bool:
    return process.get("isExecutable", "true") == "true"


def line_of(root, element_id: str) -> int | str:
    if not element_id:
        return ""
    found = root.xpath(".//*[@id=$i]", i=element_id)
    return found[0].sourceline if found else ""


def check_references(file: str, root) -> None:
    """Every sequence flow of an executable process connects two elements that exist (clearer
    than Spiff's error). A pool marked non-executable never runs, so its flaws do not count."""
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    flows = [flow for process in root.iterfind(".//bpmn:process", NS) if executable(process)
             for flow in process.iterfind(".//bpmn:sequenceFlow", NS)]
    for flow in flows:
        for end in ("sourceRef", "targetRef"):
            if flow.get(end) not in ids:
                raise DeployError(f"sequence flow points to a missing element {flow.get(end)!r} ({end})",
                                  file=file, line=flow.sourceline, element=flow.get("id") or "")


def check_supported(file: str, root) -> None:
    for tag, why in UNSUPPORTED.items():
        for element in root.iterfind(f".//bpmn:{tag}", NS):
            raise DeployError(f"{tag} is not supported: {why}", file=file, line=element.sourceline,
                              element=element.get("id") or "")


def check_code_of(spec, file: str, root) -> None:
    """Compile every script and condition at deploy time, so syntax errors never reach a user."""
    for ts in spec.task_specs.values():
        snippets = []
        if isinstance(ts, ScriptTask):
            snippets.append(("script", ts.script or ""))
        snippets.extend((kind, code) for kind in ("prescript", "postscript") if (code := getattr(ts, kind, None)))
        for condition, _target in getattr(ts, "cond_task_specs", None) or []:
            args = getattr(condition, "args", None)   # a gateway condition wraps its expression
            if args and isinstance(args[0], str):
                snippets.append(("condition", args[0]))
        for kind, code in snippets:
            bpmn_id = getattr(ts, "bpmn_id", ts.name)
            try:
                check_code(code, "eval" if kind == "condition" else "exec")
            except SyntaxError as exc:
                raise DeployError(f"{kind} has a syntax error on its line {exc.lineno}: {exc.msg}",
                                  file=file, line=line_of(root, bpmn_id), element=bpmn_id) from exc
            except ScriptRefused as exc:
                raise DeployError(f"{kind}, its line {exc.line}: {exc}",
                                  file=file, line=line_of(root, bpmn_id), element=bpmn_id) from exc
