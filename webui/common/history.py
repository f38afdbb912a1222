"""Reading the audit log for people: the timeline, review decisions, approvals, progress."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from engine.status import standing
from engine.views import HistoryEvent, InstanceView

from .i18n import current_locale, form_text
from .process_files import ProcessInfo


@dataclass(frozen=True)
class Decision:
    at: datetime
    actor: str
    task: str
    decision: str          # raw value: approve / return / decline
    label: str             # the decision as the form titles it, translated
    details: list[tuple[str, str]] = field(default_factory=list)   # (label, text)
    why: str = ""          # the reason and comment of a return or decline, in one line


def decision_of(data: dict) -> tuple[str, dict] | None:
    """The (form key, answer) of a review answer: any object with a `decision` field."""
    for key, value in (data or {}).items():
        if isinstance(value, dict) and isinstance(value.get("decision"), str):
            return key, value
    return None


def _property(schema: dict | None, *path: str) -> dict:
    node = schema or {}
    for part in path:
        node = (node.get("properties") or {}).get(part) or {}
    return node


def choice_title(node: dict, value: Any) -> str:
    for option in node.get("oneOf") or []:
        if option.get("const") == value and option.get("title"):
            return form_text(option["title"])
    return str(value)


def decision_from(event: HistoryEvent, info: ProcessInfo, names: dict[str, str]) -> Decision | None:
    found = decision_of(event.data) if event.kind == "completed" else None
    if found is None:
        return None
    key, answer = found
    schema = info.forms.get(event.bpmn_id or "")
    details = []
    reasons = ("return_to", "reason_code", "comment") if answer["decision"] != "approve" else ("comment",)
    for name in reasons:
        if answer.get(name):
            node = _property(schema, key, name)
            details.append((form_text(node.get("title") or name), choice_title(node, answer[name])))
    label = choice_title(_property(schema, key, "decision"), answer["decision"])
    why = [choice_title(_property(schema, key, name), answer[name]) for name in ("reason_code", "comment")
           if answer.get(name) and answer["decision"] != "approve"]
    return Decision(event.at, names.get(event.actor or "", event.actor or ""), form_text(event.task_name),
                    answer["decision"], label, details, "：".join(why) if current_locale() != "en" else ": ".join(why))


def decisions(view: InstanceView, info: ProcessInfo, names: dict[str, str]) -> list[Decision]:
    return [d for e in view.history if (d := decision_from(e, info, names))]


def return_before(view: InstanceView, info: ProcessInfo, names: dict[str, str], moment: datetime) -> Decision | None:
    """The return that reopened a task created at `moment`: the last step completed before it
    was a review that sent the work back (a resubmission in between means it is not returned)."""
    last = next((e for e in reversed(view.history) if e.kind == "completed" and e.at <= moment), None)
    found = decision_from(last, info, names) if last is not None else None
    return found if found is not None and found.decision == "return" else None


def approvals(view: InstanceView, info: ProcessInfo, names: dict[str, str]) -> list[Decision]:
    """Every approving review decision, oldest first."""
    return [d for d in decisions(view, info, names) if d.decision == "approve"]


def completion_of(view: InstanceView, key: str) -> HistoryEvent | None:
    """The latest completion whose answer holds `key` (e.g. the authorisation)."""
    return next((e for e in reversed(view.history) if e.kind == "completed" and key in e.data), None)


def status_label(status: str) -> str:
    """An instance status alone (the admin's filter); pages show `standing_label` instead."""
    return {"running": _("In progress"), "suspended": _("Suspended"), "error": _("Stopped by an error"),
            "completed": _("Completed"), "terminated": _("Terminated")}.get(status, status)


def standing_label(key: str) -> str:
    """One word for where a project stands (`engine.status.Standing`), the same in lists, on its
    page and in its timeline."""
    return {"in_progress": _("In progress"), "established": _("Established"), "declined": _("Not approved"),
            "withdrawn": _("Withdrawn"), "suspended": _("Suspended"), "terminated": _("Terminated"),
            "error": _("Stopped by an error"), "completed": _("Completed")}.get(key, key)


def standing_of(status: str, outcome: str | None) -> str:
    return standing(status, outcome).value


def _what(event: HistoryEvent) -> str:
    task = form_text(event.task_name) if event.task_name else ""
    texts = {
        "started": _("Started the project"), "completed": _("Completed “%(task)s”", task=task),
        "claimed": _("Claimed “%(task)s”", task=task), "unclaimed": _("Handed back “%(task)s”", task=task),
        "withdrawn": _("Withdrew the project"), "suspended": _("Suspended the project"),
        "running": _("Resumed the project"), "terminated": _("Terminated the project"),
        "error": _("A process error stopped the project"), "retried": _("Retried the failed step"),
        "ended": ended_text(event.data.get("outcome")),
        "reminder": _("Reminder sent for “%(task)s”", task=task),
        "escalation": _("Escalated “%(task)s”", task=task),
        "mail_resent": _("Had a notification e-mail sent again"),
        "called": _("Called process %(process)s, version %(version)s", process=event.data.get("process_id", ""),
                    version=event.data.get("version", "")),
    }
    return texts.get(event.kind, event.kind)


def ended_text(outcome: str | None) -> str:
    return {"established": _("The project was established"), "declined": _("The project was not approved"),
            "withdrawn": _("The project was withdrawn")}.get(outcome or "", _("The process finished"))


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    actor: str
    what: str
    decision: Decision | None
    reason: str
    standing: str = ""          # set when the event changed where the project stands


_STANDING_AFTER = {"withdrawn": "withdrawn", "suspended": "suspended", "running": "in_progress",
                   "terminated": "terminated", "error": "error"}


def _standing_after(event: HistoryEvent) -> str:
    if event.kind == "ended":
        return standing_of("completed", event.data.get("outcome"))
    return _STANDING_AFTER.get(event.kind, "")


def timeline(view: InstanceView, info: ProcessInfo, names: dict[str, str]) -> list[TimelineRow]:
    rows = []
    for event in view.history:
        actor = names.get(event.actor or "", event.actor or "") if event.actor else _("System")
        rows.append(TimelineRow(event.at, actor, _what(event), decision_from(event, info, names),
                                str(event.data.get("reason") or event.data.get("message") or ""),
                                _standing_after(event)))
    return rows
