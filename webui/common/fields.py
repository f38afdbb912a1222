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

# The well-known groups' names as people read them, and what membership means.
GROUP_NAMES = {"rep": N_("Reps"), "manager": N_("Department managers"), "committee": N_("Committee members"),
               "chair": N_("Committee chair"), "admin": N_("Administrators")}
GROUP_MEANINGS = {
    "rep": N_("Sales reps who own key-account projects."),
    "manager": N_("Review the projects of the reps in their own department."),
    "committee": N_("Vote on proposals the department manager approved."),
    "chair": N_("Breaks ties and authorises established projects."),
    "admin": N_("May use the administration pages."),
}

# Engine field messages the admin and settings pages can show, for the catalog.
ENGINE_MESSAGES = (
    N_("use 2 to 64 letters, digits or . _ @ -"), N_("must be at least 8 characters"),
    N_("cannot delegate to yourself"), N_("must be after the start"), N_("use zh_Hant or en"),
    N_("use 1 to 64 characters without /, not starting or ending with a space"), N_("a group of this name exists already"),
    N_("the engine relies on this group's name"), N_("must be at most 2000 characters"),
    N_("you cannot take yourself out of the admins"),
    N_("this year is listed twice"), N_("would make a circle of reporting lines"),
    N_("choose someone at this account"), N_("choose an account you look after"),
    N_("you may only give an account to yourself or to people you manage"),
)

# Engine messages that quote a value: translated by pattern, the value kept as typed.
_QUOTING = (
    (re.compile(r"no active user '(?P<name>.*)'"), lambda m: _("%(name)s is not an active user", name=m["name"])),
    (re.compile(r"unknown time zone '(?P<zone>.*)'"), lambda m: _("unknown time zone %(zone)s", zone=m["zone"])),
    (re.compile(r"unknown group\(s\): (?P<groups>[^;]*);.*"), lambda m: _("unknown group: %(groups)s", groups=m["groups"])),
    (re.compile(r"no user '(?P<name>.*)'"), lambda m: _("there is no user %(name)s", name=m["name"])),
    (re.compile(r"(?P<count>\d+) open task\(s\) wait for this group; reassign them first"),
     lambda m: _("%(count)s open tasks wait for this group; reassign them first", count=m["count"])),
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


def group_label(group: str) -> str:
    """A well-known group's name in the page's language; any other group as the admin named it."""
    return _(GROUP_NAMES[group]) if group in GROUP_NAMES else group


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
