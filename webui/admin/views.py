"""Administration: instances (status changes, rewind, reassign) and incidents (retry).

Users, deploy and the outbox are blueprints nested under this one, so the one guard
below covers every /admin URL: only admins get past it.
"""
from __future__ import annotations

import json

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import FieldError, ValidationFailed
from engine.text import trim

from ..common.current import engine, me, user
from ..common.fields import field_errors, group_label, person_choices
from ..common.i18n import form_text
from . import deploy, groups, outbox, process_catalog, rates, redaction, users, workspace

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
for child in (users.bp, groups.bp, process_catalog.bp, deploy.bp, outbox.bp, workspace.bp, rates.bp, redaction.bp):
    bp.register_blueprint(child)
STATUSES = ("running", "suspended", "error", "completed", "terminated")
PAGE_SIZE = 50


@bp.before_request
def admins_only():
    if "admin" not in user().groups:
        abort(403)


@bp.context_processor
def helpers():
    return {"group_label": group_label}


@bp.get("/")
@bp.get("/instances")
def instances():
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    search = trim(request.args.get("q", ""))
    g.redisplay = lambda code, errors, _m: _instances_page(status, None, field_errors(errors), code, shown=search)
    return _instances_page(status, search or None)


def _instances_page(status: str | None, search: str | None, errors: dict | None = None, code: int = 200,
                    shown: str | None = None):
    cursor = None if errors else request.args.get("cursor") or None
    found = engine().lists.instances(me(), status, search, cursor, PAGE_SIZE)
    return render_template("admin/instances.html", rows=found.items, found=found, status=status or "",
                           q=shown or search or "", statuses=STATUSES, errors=errors or {}), code


@bp.post("/instances/<iid>/<action>")
def change(iid: str, action: str):
    act = {"suspend": engine().suspend, "resume": engine().resume, "terminate": engine().terminate}.get(action)
    if act is None:
        abort(404)
    act(iid, me(), trim(request.form.get("reason", "")))
    flash(_("Done."), "success")
    back = request.form.get("back") == "instance"
    return redirect(url_for(".instance", iid=iid) if back else url_for(".instances"))


def _instance_page(iid: str, errors=(), status: int = 200):
    view = engine().instance(iid)
    everyone = engine().users()
    steps = {e.bpmn_id: form_text(e.task_name or e.bpmn_id) for e in view.history
             if e.kind == "completed" and e.bpmn_id}
    return render_template("admin/instance.html", view=view, people=person_choices(everyone),
                           steps=list(steps.items()), names={u.username: u.display_name for u in everyone},
                           errors=field_errors(errors), chosen=request.form), status


@bp.get("/instances/<iid>")
def instance(iid: str):
    return _instance_page(iid)


@bp.post("/instances/<iid>/rewind")
def rewind(iid: str):
    engine().instance(iid)                     # an unknown instance is a 404, before anything else
    g.redisplay = lambda status, errors, _m: _instance_page(iid, errors, status)
    engine().admin.rewind(iid, me(), request.form.get("bpmn_id", ""))
    flash(_("The project went back to the chosen step; its open tasks were replaced."), "success")
    return redirect(url_for(".instance", iid=iid))


@bp.post("/instances/<iid>/tasks/<task_id>/reassign")
def reassign(iid: str, task_id: str):
    if task_id not in {t.id for t in engine().instance(iid).tasks}:
        abort(404)                             # the URL names the task's project: both must match
    g.redisplay = lambda status, errors, _m: _instance_page(iid, errors, status)
    engine().admin.reassign(task_id, me(), request.form.get("to_user", ""))
    flash(_("The task was reassigned."), "success")
    return redirect(url_for(".instance", iid=iid))


def _incidents_page(typed: dict | None = None, errors=(), status: int = 200, cursor: str | None = None):
    """Open incidents, each with the data to retry with: as typed, else as submitted (when known)."""
    typed = typed or {}
    found = engine().lists.incidents(me(), cursor=cursor, size=PAGE_SIZE)
    texts = {i["id"]: typed[i["id"]] if i["id"] in typed else
             json.dumps(i.get("submitted") or {}, ensure_ascii=False, indent=2) for i in found.items}
    return render_template("admin/incidents.html", incidents=found.items, found=found, texts=texts, typed=typed,
                           errors=field_errors(errors)), status


@bp.get("/incidents")
def incidents():
    g.redisplay = lambda status, errors, _m: _incidents_page(errors=errors, status=status)
    return _incidents_page(cursor=request.args.get("cursor") or None)


def json_object(text: str) -> dict:
    """The corrected data an admin typed: a JSON object, or nothing at all."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed([FieldError("$.data", _("This is not valid JSON (line %(line)d, column %(col)d).",
                                                       line=exc.lineno, col=exc.colno))]) from None
    if not isinstance(value, dict):
        raise ValidationFailed([FieldError("$.data", _('Enter a JSON object, for example {"level": 5}.'))])
    return value


@bp.post("/incidents/<int:incident_id>/retry")
def retry(incident_id: int):
    text = request.form.get("data", "")
    g.redisplay = lambda status, errors, _m: _incidents_page({incident_id: text}, errors, status)
    engine().retry(incident_id, me(), json_object(text))
    flash(_("The step ran again successfully."), "success")
    return redirect(url_for(".incidents"))
