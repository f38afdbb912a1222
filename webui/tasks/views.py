"""One task: show its form, save a draft, add or remove rows without JavaScript, attach a file,
complete it. Drafts live in the engine, per task and user, so they survive signing out."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import ValidationFailed

from ..attachments import views as attachments
from ..common.current import engine, me, user
from ..common.formdata import ADD_ROW, flatten, parse_form, redisplay
from ..common.i18n import form_text
from . import handoff, page, uploads

bp = Blueprint("tasks", __name__, template_folder="templates")


@bp.get("/tasks/<task_id>")
def show(task_id: str):
    task = engine().task(task_id, me())
    if task.state != "open":
        return render_template("tasks/closed.html", task=task)
    saved = engine().drafts.get(task_id, me())
    values = saved if saved is not None else flatten(page.form_of(task), page.opening_values(task))
    return page.render(task, values, draft=saved is not None)


@bp.post("/tasks/<task_id>")
def submit(task_id: str):
    action = request.form.get("_action", "")
    if action in ("", "complete") and not request.form.get(ADD_ROW) and not chosen_file():
        return complete(task_id)
    task = engine().task(task_id, me())
    schema = page.form_of(task)
    shown = redisplay(schema, request.form, page.fixed_of(task))
    g.redisplay = lambda status, errors, message: page.render(task, shown, errors, message, status)
    try:
        added = attachments.attach_chosen(task, required=action == "attach")
    except (ValidationFailed, attachments.NoFileChosen) as exc:     # refused: nothing saved, all shown again
        return page.render(task, shown, status=422, file_errors=attachments.reasons(exc))
    if added is not None:
        flash(_("“%(name)s” is attached to the project.", name=added.filename), "success")
    if action == "attach":
        engine().drafts.save(task_id, me(), shown)          # what was typed comes back after the redirect
        return redirect(url_for(".show", task_id=task_id, _anchor="files"))
    if request.form.get(ADD_ROW):
        return page.render(task, shown)
    if action == "draft":
        engine().drafts.save(task_id, me(), shown)
        flash(_("Draft saved. It will be here when you come back."), "success")
        return redirect(url_for(".show", task_id=task_id))
    if action == "discard":
        engine().drafts.discard(task_id, me())
        return redirect(url_for(".show", task_id=task_id))
    return complete(task_id)


def chosen_file() -> bool:
    return bool(getattr(request.files.get(attachments.FIELD), "filename", None))


def complete(task_id: str):
    """Complete the task in one transaction: the form is read once the engine has found and locked the
    task, and the page that follows comes from what the step did. A refused answer (or a clash) shows
    the form again as sent, read afresh; the draft stays, as nothing was saved."""
    parsed: dict = {}

    def answer(task):
        schema = page.form_of(task)
        parsed.clear()
        parsed.update(parse_form(schema, uploads.with_uploads(schema, request.form, request.files)))
        return parsed

    def again(status, errors, message):
        task = engine().task(task_id, me())
        shown = redisplay(page.form_of(task), request.form, page.fixed_of(task))
        return page.render(task, shown, errors, message, status)
    g.redisplay = again
    done = engine().complete_step(task_id, me(), answer, identified=user())      # drops drafts too
    went = handoff.where_it_went(done, parsed, me())
    flash(" ".join(filter(None, [_("Done: “%(task)s”.", task=form_text(done.task.name)), went])), "success")
    following = handoff.in_process_order(done.following, done.order)
    return redirect(url_for(".show", task_id=following[0].id) if following else url_for("inbox.index"))
