"""Read what an outbox row is about: names of people, steps and answers, as they are now.

The row keeps ids and codes; this turns them into the display names and the form's own
labels (still in the process's language) that the mail templates word and translate.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..db.schema import Instance, Notification, Task
from ..directory import Directory
from ..mail import Decision, MailFacts, NextStep
from . import calls

TASK_KINDS = ("task_assigned", "returned", "resubmitted", "reminder")   # link to the task itself


def _choice(node: dict, value: str | None) -> str | None:
    for option in (node or {}).get("oneOf") or []:
        if option.get("const") == value and option.get("title"):
            return option["title"]
    return value


def _answer_fields(schema: dict | None) -> dict:
    """The properties of the form's review object (the one with a `decision` field)."""
    for sub in ((schema or {}).get("properties") or {}).values():
        if isinstance(sub, dict) and "decision" in (sub.get("properties") or {}):
            return sub["properties"]
    return {}


class _Reader:
    def __init__(self, ctx, session: Session, directory: Directory, inst: Instance | None):
        self.ctx, self.session, self.directory, self.inst = ctx, session, directory, inst

    def name(self, username: str | None) -> str:
        person = self.directory.find(username)
        return person.display_name if person is not None else (username or "")

    def task(self, task_id: str | None) -> Task | None:
        return self.session.get(Task, task_id) if task_id else None

    def decision(self, answer: dict) -> Decision:
        row = self.task(answer.get("task_id"))
        fields = {}
        if row is not None and row.form_file and self.inst is not None:
            fields = _answer_fields(calls.model_of_task(self.ctx, self.session, self.inst, row).form(row.form_file))

        def label(key: str) -> str | None:
            return _choice(fields.get(key), answer.get(key))
        return Decision(by=self.name(answer.get("by")), decision=label("decision") or "",
                        reason=label("reason_code"), comment=answer.get("comment"), return_to=label("return_to"))


def facts_of(ctx, session: Session, directory: Directory, n: Notification) -> MailFacts:
    inst = session.get(Instance, n.instance_id) if n.instance_id else None
    read = _Reader(ctx, session, directory, inst)
    facts = dict(n.facts or {})
    tasks = [t for t in map(read.task, facts.get("tasks") or [n.task_id]) if t is not None]
    steps = tuple(t.name for t in tasks) or ((facts["step"],) if facts.get("step") else ())
    next_rows = [t for t in map(read.task, facts.get("next") or []) if t is not None]
    if n.kind in TASK_KINDS and n.task_id:
        link = f"/tasks/{n.task_id}"
    else:
        link = f"/projects/{n.instance_id}" if n.instance_id else "/"
    return MailFacts(
        kind=n.kind, recipient=read.name(n.username), project=inst.project_name if inst else "",
        steps=steps, actor=read.name(n.actor) if n.actor else None,
        decisions=tuple(read.decision(a) for a in facts.get("decisions") or [] if isinstance(a, dict)),
        next_steps=tuple(NextStep(t.name, tuple(read.name(u) for u in directory.reached_by(t))) for t in next_rows),
        waiting_for=tuple(read.name(u) for u in facts.get("waiting_for") or []),
        outcome=facts.get("outcome"), link_path=link)
