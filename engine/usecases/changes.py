"""What changed since the last return: the reviewer's field-by-field view of a resubmission."""
from __future__ import annotations

from ..views import HistoryEvent


def _leaves(value, path: str):
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _leaves(sub, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, sub in enumerate(value):
            yield from _leaves(sub, f"{path}[{i}]")
    else:
        yield path, value


def diff(before: dict, after: dict) -> list[dict]:
    """Leaf-level differences between two answers, in the order of `after` then removals."""
    old, new = dict(_leaves(before, "")), dict(_leaves(after, ""))
    changed = [{"field": k, "before": old.get(k), "after": v} for k, v in new.items() if old.get(k) != v]
    removed = [{"field": k, "before": v, "after": None} for k, v in old.items() if k not in new]
    return changed + removed


def changes_since_return(history: list[HistoryEvent], bpmn_id: str) -> list[dict]:
    """For a review task `bpmn_id`: every form resubmitted since its last completion, diffed
    against that form's answer as it stood when the reviewer last decided."""
    done = [e for e in history if e.kind == "completed"]
    last_review = max((i for i, e in enumerate(done) if e.bpmn_id == bpmn_id), default=None)
    if last_review is None:
        return []
    result = []
    for event in done[last_review + 1:]:
        earlier = [e for e in done[:last_review] if e.bpmn_id == event.bpmn_id]
        if not earlier:
            continue
        for change in diff(earlier[-1].data, event.data):
            result.append({"form": event.bpmn_id, "task_name": event.task_name, **change})
    return result
