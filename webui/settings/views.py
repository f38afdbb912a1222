"""My settings: e-mail notifications, language, time zone, an out-of-office stand-in, and
the notifications I received lately. Every signed-in user has this page."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from engine import FieldError, ValidationFailed, zones
from engine.text import trim

from ..common.current import engine, me, user
from ..common.fields import field_errors, local_day, out_of_office, person_choices, zone_choices
from ..common.i18n import LOCALES, current_locale

bp = Blueprint("settings", __name__, url_prefix="/settings", template_folder="templates")
RECENT = 20
TOKEN_DAYS = (7, 30, 90, 365)          # how long a new API token may live (engine/usecases/tokens.py)


def _page(values: dict | None = None, errors=(), status: int = 200, new_token: tuple | None = None):
    person, away = user(), out_of_office(user())
    shown = {"locale": person.locale, "time_zone": zones.effective(person.time_zone),   # what is in effect
             "notify": {True: "on", False: "off"}.get(away["notify"], ""), "delegate": away["delegate"] or "",
             "delegate_from": local_day(away["delegate_from"], person.time_zone),
             "delegate_until": local_day(away["delegate_until"], person.time_zone, inclusive_end=True)}
    shown.update(values or {})
    people = [u for u in engine().users() if u.active and u.username != me()]
    return render_template("settings/index.html", values=shown, away=away, errors=field_errors(errors),
                           zones=zone_choices(person.time_zone), locales=LOCALES, people=people,
                           people_choices=person_choices(people), tokens=engine().tokens.list(me()),
                           new_token=new_token, token_days=[(str(d), _("%(n)s days", n=d)) for d in TOKEN_DAYS], now=current_app.config["CLOCK"](),
                           notes=engine().notifications.for_user(me(), locale=current_locale(), limit=RECENT)), status


@bp.get("/")
def index():
    return _page()


@bp.post("/preferences")
def preferences():
    values = {name: request.form.get(name, "") for name in ("locale", "time_zone", "notify")}
    g.redisplay = lambda status, errors, _m: _page(values, errors, status)
    chosen = {"notify": values["notify"] == "on"} if values["notify"] in ("on", "off") else {}
    person = engine().set_preferences(me(), locale=values["locale"], time_zone=values["time_zone"], **chosen)
    session["lang"] = person.locale
    with force_locale(person.locale):
        flash(_("Your settings were saved."), "success")
    return redirect(url_for(".index"))


@bp.post("/password")
def password():
    """Change my own password: the current one is required; my other sessions end."""
    g.redisplay = lambda status, errors, _m: _page({}, errors, status)    # passwords are never shown again
    engine().change_password(me(), request.form.get("current_password", ""), request.form.get("new_password", ""),
                             keep_session=session.token)
    flash(_("Your password was changed. You were signed out everywhere else."), "success")
    return redirect(url_for(".index"))


def _day(text: str, field: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationFailed([FieldError(f"$.{field}", _("Enter a date such as 2026-12-31."))]) from None


def _midnight(day: date | None, zone: str) -> datetime | None:
    return datetime.combine(day, time(0), tzinfo=zones.zone_or_utc(zone)).astimezone(timezone.utc) if day else None


def local_range(start: str, until: str, zone: str) -> tuple[datetime | None, datetime | None]:
    """Dates the user picked, in their time zone, as aware UTC moments; `until` is inclusive."""
    first, last = _day(start, "delegate_from"), _day(until, "delegate_until")
    return _midnight(first, zone), _midnight(last + timedelta(days=1) if last else None, zone)


@bp.post("/out-of-office")
def out_of_office_save():
    values = {name: trim(request.form.get(name, "")) for name in ("delegate", "delegate_from", "delegate_until")}
    g.redisplay = lambda status, errors, _m: _page(values, errors, status)
    if not values["delegate"]:
        raise ValidationFailed([FieldError("$.delegate", _("Choose who receives your new tasks."))])
    start, end = local_range(values["delegate_from"], values["delegate_until"], user().time_zone)
    engine().set_delegate(me(), me(), values["delegate"], start, end)
    flash(_("While you are away, your new tasks go to your stand-in."), "success")
    return redirect(url_for(".index"))


@bp.post("/out-of-office/clear")
def out_of_office_clear():
    engine().set_delegate(me(), me(), None)
    flash(_("You are no longer marked as out of office."), "success")
    return redirect(url_for(".index"))
