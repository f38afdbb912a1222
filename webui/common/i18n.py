"""Languages: zh_Hant (default) and English, the switch between them, and local times.

Two catalogs: the UI's own (webui/translations, compiled to .mo at start-up) and the
forms catalog (forms/i18n/zh_Hant.po, keyed by the English text of form titles, labels,
help and task names). `form_text` reads the forms catalog first, then the UI's.
"""
from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, current_app, g, redirect, request, session
from flask_babel import Babel, format_datetime, get_locale, gettext

from engine import zones

from .redirects import safe_next

bp = Blueprint("i18n", __name__)
LOCALES = {"zh_Hant": "繁體中文", "en": "English"}
SOURCE = Path(__file__).resolve().parents[1] / "translations"


def compile_catalogs(target: Path) -> Path:
    """Compile every webui .po into `target` (only when the .po is newer); returns `target`."""
    for po in SOURCE.glob("*/LC_MESSAGES/*.po"):
        mo = target / po.relative_to(SOURCE).with_suffix(".mo")
        if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as f:
            catalog = read_po(f)
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.replace(tmp, mo)
    return target


def load_forms_catalog(forms_dir: Path) -> dict[str, dict[str, str]]:
    """{locale: {english: translation}} from forms/i18n/<locale>.po."""
    out: dict[str, dict[str, str]] = {}
    for po in sorted((Path(forms_dir) / "i18n").glob("*.po")):
        with po.open("rb") as f:
            out[po.stem] = {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str) and m.string}
    return out


def current_locale() -> str:
    return "en" if str(get_locale()) == "en" else "zh_Hant"


def form_text(text: str | None) -> str:
    """Schema text, task and element names in the page's language."""
    if not text:
        return text or ""
    if current_locale() == "en":
        return text
    found = current_app.extensions["kamflow_forms_i18n"].get(current_locale(), {}).get(text)
    return found or gettext(text)


def list_separator() -> str:
    """Between the items of a list in a sentence: 、 in Chinese, a comma in English."""
    return ", " if current_locale() == "en" else "、"


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    person = g.get("user")
    if person is not None and person.locale in LOCALES:
        return person.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """The user's zone; one the tz database does not know (stored before it was checked) is
    read as UTC, and the page says so, rather than failing every page."""
    person = g.get("user")
    return zones.effective(person.time_zone) if person is not None else zones.DEFAULT


def local_time(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    return format_datetime(value, fmt) if value else ""


@bp.post("/language")
def language():
    lang = request.form.get("lang")
    if lang in LOCALES:
        session["lang"] = lang
        if g.get("user") is not None:        # remembered for the next sign-in too
            current_app.extensions["kamflow"].set_preferences(g.user.username, locale=lang)
    return redirect(safe_next(request.form.get("next")))


def init_app(app) -> None:
    translations = compile_catalogs(Path(app.instance_path) / "translations")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.extensions["kamflow_forms_i18n"] = load_forms_catalog(app.extensions["kamflow"].forms_dir)
    app.jinja_env.globals.update(form_text=form_text, LOCALES=LOCALES, current_locale=current_locale,
                                 list_separator=list_separator,
                                 known_zone=zones.is_known)
    app.jinja_env.filters["local_time"] = local_time
    app.register_blueprint(bp)
