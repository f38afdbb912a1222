"""The project's earlier answers for read-only display, and what changed since a return."""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.views import InstanceView

from ..common.current import engine
from ..common.history import choice_title, decision_of
from ..common.i18n import form_text, list_separator
from ..common.process_files import ProcessInfo


@dataclass(frozen=True)
class Answer:
    bpmn_id: str
    title: str
    schema: dict
    data: dict


def earlier_answers(view: InstanceView, info: ProcessInfo, skip: str | None = None) -> list[Answer]:
    """Information answers (not review decisions) in process order, as the data holds them now."""
    answered = {e.bpmn_id: e for e in view.history if e.kind == "completed" and e.bpmn_id}
    out = []
    for bpmn_id in info.user_tasks:
        event = answered.get(bpmn_id)
        schema = info.forms.get(bpmn_id)
        if event is None or schema is None or bpmn_id == skip or decision_of(event.data):
            continue
        keys = [k for k, sub in (schema.get("properties") or {}).items() if not sub.get("readOnly")]
        # the process data holds the answer once its subprocess ends; till then the audit log does
        data = {k: view.data[k] if k in view.data else event.data[k] for k in keys
                if k in view.data or k in event.data}
        if data:
            out.append(Answer(bpmn_id, form_text(info.names.get(bpmn_id) or schema.get("title")), schema, data))
    return out


@dataclass(frozen=True)
class Change:
    form: str
    field: str
    before: str
    after: str


def _field(schema: dict | None, path: str) -> tuple[str, dict]:
    """"Proposal › Summary" for `proposal.summary`; "Person 2 › Name" for `decision_makers[1].name`."""
    node, titles = schema or {}, []
    for part in re.findall(r"[^.\[\]]+", path):
        if part.isdigit():
            node = node.get("items") or {}
            titles.append(f"{form_text(node.get('title')) or '#'} {int(part) + 1}")
        else:
            node = (node.get("properties") or {}).get(part) or {}
            titles.append(form_text(node.get("title")) or part)
    return " › ".join(titles), node


def _shown(node: dict, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return list_separator().join(_shown(node.get("items") or {}, v) for v in value)
    return choice_title(node, value)


def changes_since_return(task_id: str, info: ProcessInfo, view=None) -> list[Change]:
    """For a review task: each field resubmitted differently since this review last decided
    (`view`: the task's instance as the page loaded it)."""
    out = []
    for row in engine().changes(task_id, view):
        title, node = _field(info.forms.get(row["form"]), row["field"])
        out.append(Change(form_text(row.get("task_name")), title, _shown(node, row["before"]),
                          _shown(node, row["after"])))
    return out
