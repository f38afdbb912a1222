"""Small pieces the admin and settings pages share: field errors in the page's language,
the time zones people choose from, and a user's out-of-office state."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from engine.views import UserView

from .formdata import errors_by_field
from .i18n import form_text


def N_(text: str) -> str:
    """Marks text for the catalog; it is translated where it is shown."""
    return text


# (zone, city) — Taiwan first, then where customers and colleagues usually are.
ZONES = (
    ("Asia/Taipei", N_("Taipei")), ("Asia/Tokyo", N_("Tokyo")), ("Asia/Seoul", N_("Seoul")),
    ("Asia/Shanghai", N_("Shanghai")), ("Asia/Hong_Kong", N_("Hong Kong")), ("Asia/Manila", N_("Manila")),
    ("Asia/Singapore", N_("Singapore")), ("Asia/Kuala_Lumpur", N_("Kuala Lumpur")),
    ("Asia/Bangkok", N_("Bangkok")), ("Asia/Ho_Chi_Minh", N_("Ho Chi Minh City")), ("Asia/Jakarta", N_("Jakarta")),
    ("Asia/Kolkata", N_("India")), ("Asia/Dubai", N_("Dubai")), ("Australia/Sydney", N_("Sydney")),
    ("Europe/London", N_("London")), ("Europe/Paris", N_("Paris")), ("Europe/Berlin", N_("Berlin")),
    ("America/New_York", N_("New York")), ("America/Chicago", N_("Chicago")),
    ("America/Los_Angeles", N_("Los Angeles")), ("UTC", "UTC"),
)

ROLE_NAMES = {"rep": N_("Rep"), "manager": N_("Department manager"), "committee": N_("Committee member"),
              "chair": N_("Committee chair"), "admin": N_("Administrator")}

# Engine field messages the admin and settings pages can show, for the catalog.
ENGINE_MESSAGES = (
    N_("use 2 to 64 letters, digits or . _ @ -"), N_("must be at least 8 characters"),
    N_("cannot delegate to yourself"), N_("must be after the start"), N_("use zh_Hant or en"),
)

# Engine messages that quote a value: translated by pattern, the value kept as typed.
_QUOTING = (
    (re.compile(r"no active user '(?P<name>.*)'"), lambda m: _("%(name)s is not an active user", name=m["name"])),
    (re.compile(r"unknown time zone '(?P<zone>.*)'"), lambda m: _("unknown time zone %(zone)s", zone=m["zone"])),
    (re.compile(r"unknown role\(s\): (?P<roles>[^;]*);.*"), lambda m: _("unknown role: %(roles)s", roles=m["roles"])),
)


def engine_message(message: str) -> str:
    """An engine field message in the page's language (unknown ones stay as they are)."""
    for pattern, translate in _QUOTING:
        found = pattern.fullmatch(message)
        if found:
            return translate(found)
    return _(message)


def field_errors(errors) -> dict[str, list[str]]:
    """Engine `FieldError`s by form field name, translated, for the templates."""
    return errors_by_field(errors, translate=engine_message)


def role_label(role: str) -> str:
    """Lane names double as role names, so the forms catalog may hold them too."""
    return form_text(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def person_choices(people: list[UserView]) -> list[tuple[str, str]]:
    """(username, "Display name (username)") of the active people, for a select."""
    return [(u.username, f"{u.display_name} ({u.username})") for u in people if u.active]


def zone_choices(current: str | None = None) -> list[tuple[str, str]]:
    """(zone, label) pairs, the current zone included even when it is not a common one."""
    choices = [(zone, f"{_(city)} ({zone})" if zone != "UTC" else "UTC") for zone, city in ZONES]
    if current and current not in dict(ZONES):
        choices.append((current, current))
    return choices


def out_of_office(person: UserView) -> dict:
    """The user's notification and stand-in settings, where the engine's UserView has them.

    UserView does not carry them yet (see the report to the lead): until it does, these read
    as unknown (None), and pages say nothing rather than something wrong.
    """
    return {key: getattr(person, key, None) for key in ("notify", "delegate", "delegate_from", "delegate_until")}


def local_day(moment: datetime | None, zone: str, inclusive_end: bool = False) -> str:
    """An aware UTC moment as the ISO date the user sees in their zone (an end is exclusive)."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone))
    return (local - timedelta(microseconds=1) if inclusive_end else local).date().isoformat()
