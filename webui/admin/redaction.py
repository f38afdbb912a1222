"""Admin → a project → Redact: cut names or free text out of everything the project stores."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..common.current import engine, me
from ..common.messages import field_errors

bp = Blueprint("redaction", __name__, url_prefix="/instances")


def _page(iid: str, typed: str = "", errors=(), status: int = 200):
    return render_template("admin/redact.html", view=engine().instance(iid), typed=typed,
                           errors=field_errors(errors)), status


@bp.route("/<iid>/redact", methods=["GET", "POST"])
def redact(iid: str):
    if request.method == "GET":
        return _page(iid)
    typed = request.form.get("texts", "")[:5000]
    g.redisplay = lambda status, errors, _m: _page(iid, typed, errors, status)
    changed = engine().redact(iid, me(), typed.splitlines())
    flash(_("Redacted: %(count)d stored records changed. The audit log records the redaction.", count=changed),
          "success")
    return redirect(url_for("admin.instance", iid=iid))
