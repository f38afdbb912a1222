"""My API tokens: create one (its secret is shown on this one page, never again) and revoke them.
A token acts with my rights only; see docs/api.md."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from engine import FieldError, ValidationFailed
from engine.text import trim

from ..common.current import engine, me
from .views import TOKEN_DAYS, _page, bp

NAME_LENGTH = 100


@bp.post("/tokens")
def create_token():
    values = {"token_name": trim(request.form.get("token_name", "")), "token_days": request.form.get("token_days", "")}
    g.redisplay = lambda status, errors, _m: _page(values, errors, status)
    errors = []
    if not values["token_name"] or len(values["token_name"]) > NAME_LENGTH:
        errors.append(FieldError("$.token_name", _("Name the token (at most %(n)s characters), e.g. the system "
                                                   "that uses it.", n=NAME_LENGTH)))
    if values["token_days"] not in {str(d) for d in TOKEN_DAYS}:
        errors.append(FieldError("$.token_days", _("Choose how long the token works.")))
    if errors:
        raise ValidationFailed(errors)
    token, secret = engine().tokens.create(me(), values["token_name"], int(values["token_days"]))
    return _page(new_token=(token, secret))


@bp.post("/tokens/<token_id>/revoke")
def revoke_token(token_id: str):
    engine().tokens.revoke(token_id, me())
    flash(_("The token was revoked; programs using it are refused from now on."), "success")
    return redirect(url_for(".index", _anchor="tokens"))
