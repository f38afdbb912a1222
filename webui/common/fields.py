"""Small pieces the admin and settings pages share: field errors in the page's language,
the time zones people choose from, and a user's out-of-office state."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from engine import zones
from engine.views import UserView

from .messages import N_, field_errors  # noqa: F401 - the admin and settings pages take field_errors from here


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

def group_label(group: str) -> str:
    """A well-known group's name in the page's language; any other group as the admin named it."""
    return _(GROUP_NAMES[group]) if group in GROUP_NAMES else group


def waiting_label(group: str) -> str:
    """Whom a task offered to a group waits on (`group:committee`, `manager:north`), in words."""
    kind, _sep, name = group.partition(":")
    if kind == "group":
        return group_label(name)
    if kind == "manager":
        return _("Managers of %(department)s", department=name)
    return group


def person_choices(people: list[UserView]) -> list[tuple[str, str]]:
    """(username, "Display name (username)") of the active people, for a select."""
    return [(u.username, f"{u.display_name} ({u.username})") for u in people if u.active]


def zone_choices(current: str | None = None) -> list[tuple[str, str]]:
    """(zone, label) pairs, the current zone included even when it is not a common one (or
    not a time zone at all: a refused value comes back as it was chosen, marked)."""
    choices = [(zone, f"{_(city)} ({zone})" if zone != "UTC" else "UTC") for zone, city in ZONES]
    if current and current not in dict(ZONES):
        choices.append((current, current if zones.is_known(current) else _("%(zone)s (unknown)", zone=current)))
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
    local = moment.astimezone(zones.zone_or_utc(zone))
    return (local - timedelta(microseconds=1) if inclusive_end else local).date().isoformat()
