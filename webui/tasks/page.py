"""Everything the task page shows: the form, instructions, earlier answers, earlier rounds, files."""
from __future__ import annotations

from flask import g, render_template

from engine.forms import HEADER
from engine.views import TaskView

from ..attachments import views as attachments
from ..common.current import engine, me
from ..common.history import decisions
from ..common.i18n import form_text
from ..common.messages import field_errors
from ..common.people import with_people
from ..common.process_files import process_info
from .answers import changes_since_return, earlier_answers
from .brief import decision_brief
from .instructions import render_instructions

GENERIC_FORM = {"type": "object", "title": "Complete the task",
                "properties": {"comment": {"type": "string", "title": "Comment", "maxLength": 5000}}}
GENERIC_UI = {"comment": {"ui:widget": "textarea"}}
NO_FIELDS = {"type": "object", "properties": {}}


def confirm_only(task: TaskView) -> bool:
    """A manual task or plain task without a form: read the instructions, do it, press "Done"."""
    return task.form is None and task.kind != "user"


def form_of(task: TaskView) -> dict:
    """The task's form, its person fields offering the active users."""
    return with_people(task.form) if task.form else (NO_FIELDS if confirm_only(task) else GENERIC_FORM)


def ui_of(task: TaskView) -> dict:
    return (task.ui_schema or {}) if task.form or confirm_only(task) else GENERIC_UI


def fixed_of(task: TaskView) -> dict:
    """The read-only header the engine fills, shown again when a posted form comes back."""
    return {k: task.values[k] for k in HEADER if k in task.values}


def opening_values(task: TaskView) -> dict:
    """What the form opens with: earlier answers to revise, but every review starts undecided
    (the last round's decision is shown beside the form, not pre-ticked in it)."""
    return fixed_of(task) if is_review(form_of(task)) else task.values


def display_names() -> dict[str, str]:
    if "display_names" not in g:
        g.display_names = {u.username: u.display_name for u in engine().users()}
    return g.display_names


def ledger_stages(task: TaskView) -> dict[str, str]:
    """The account's decision makers' and influencers' stages in the ledger today, by name."""
    coverage = engine().ledger.coverage(task.instance_id, me())
    return {p.name: p.stage for p in coverage.people if p.stage} if coverage else {}


def is_review(schema: dict) -> bool:
    return any("decision" in (sub.get("properties") or {}) for sub in (schema.get("properties") or {}).values())


def render(task: TaskView, values: dict, errors=(), message: str | None = None, status: int = 200,
           draft: bool = False, file_errors=()):
    view = engine().instance(task.instance_id)
    info = process_info(task.instance_id)
    schema = form_of(task)
    answers = earlier_answers(view, info, skip=task.bpmn_id)
    review = is_review(schema)
    lead = next((a for a in answers if "proposal" in a.data), None) if review else None
    return render_template(
        "tasks/task.html", task=task, view=view, schema=schema, ui=ui_of(task), values=values,
        errors=field_errors(errors), message=message, draft=draft,
        files=engine().attachments.list(task.instance_id, me()), file_errors=list(file_errors),
        accept=attachments.ACCEPT, max_mb=attachments.MAX_MB,
        review=review, confirm_only=confirm_only(task), instructions=render_instructions(form_text(task.instructions), {**task.data, **task.values}),
        answers=[a for a in answers if a is not lead], lead=lead, brief=decision_brief(answers, ledger_stages(task)) if review else None,
        changes=changes_since_return(task.id, info, view) if is_review(schema) else [],
        rounds=decisions(view, info, display_names()), names=display_names(),
        coverage=engine().ledger.coverage_for_task(task.id, me())), status
