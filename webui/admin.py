"""Administration (skeleton): instances by status and search; suspend, resume, terminate;
incidents with retry. Every view needs the admin role."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .current import engine, me, user

bp = Blueprint("admin", __name__, url_prefix="/admin")
STATUSES = ("running", "suspended", "error", "completed", "terminated")


@bp.before_request
def admins_only():
    if "admin" not in user().roles:
        abort(403)


@bp.get("/")
def instances():
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    search = request.args.get("q", "").strip()[:200]
    rows = engine().instances(status=status, search=search or None)
    return render_template("admin/instances.html", rows=rows, status=status or "", q=search, statuses=STATUSES)


@bp.post("/instances/<iid>/<action>")
def change(iid: str, action: str):
    act = {"suspend": engine().suspend, "resume": engine().resume, "terminate": engine().terminate}.get(action)
    if act is None:
        abort(404)
    act(iid, me(), request.form.get("reason", "").strip()[:2000])
    flash(_("Done."), "success")
    return redirect(url_for(".instances"))


@bp.get("/incidents")
def incidents():
    failed = [engine().instance(row["id"]) for row in engine().instances(status="error")]
    found = [(view, incident) for view in failed for incident in view.incidents]
    return render_template("admin/incidents.html", found=found)


@bp.post("/incidents/<int:incident_id>/retry")
def retry(incident_id: int):
    engine().retry(incident_id, me())
    flash(_("The step ran again successfully."), "success")
    return redirect(url_for(".incidents"))
