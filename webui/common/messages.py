"""The engine's field messages in the page's language.

The engine words its messages in English; fixed ones are catalog entries, the form rules'
limits (engine/schema_messages.py) are read back from their templates, and the other ones
that quote a value are matched by pattern, so the value stays as typed.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

from engine import schema_messages as words

from .formdata import errors_by_field
from .i18n import form_text


def N_(text: str) -> str:
    """Marks text for the catalog; it is translated where it is shown."""
    return text


# Engine field messages without a value in them, for the catalog.
ENGINE_MESSAGES = (
    N_("cannot delegate to yourself"), N_("must be after the start"), N_("use zh_Hant or en"),
    N_("a group of this name exists already"), N_("the engine relies on this group's name"),
    N_("you cannot take yourself out of the admins"),
    N_("must be one line of text without control characters"), N_("must not contain control characters"),
    N_("holds a field name with control characters"), N_("must be an e-mail address"),
    N_("must be a whole number"), N_("must be a number"), N_("must be text"), N_("must be yes or no"),
    N_("must be a date such as 2026-12-31"), N_("is not in the expected form"),
    N_("this year is listed twice"), N_("would make a circle of reporting lines"),
    N_("choose someone at this account"), N_("choose an account you look after"),
    N_("you may only give an account to yourself or to people you manage"),
    N_("is one of the most common passwords; choose another"), N_("is not your current password"),
    N_("must differ from the current password"),
    N_("choose one of the active users"), N_("is the base currency"),
    N_("give 1 to 20 texts of 2 to 200 characters each"), N_("none of these texts is in this project"),
    N_("is required"), N_("is not a field of this form"), N_("must be one of the choices"),
    N_("does not fit this field"), N_("must not be empty"), N_("lists the same entry twice"),
    N_("holds a field name this form does not take"), N_("must be a list"), N_("must be a group of answers"),
    N_("must be left empty"), N_("must be a date and time"), N_("must be a time of day"),
    N_("must be a web address"),
)

# The form rules' limits, worded the way people say them ("請填 1 到 5 之間的整數").
LIMITS = {
    words.BETWEEN_WHOLE: lambda v: _("must be a whole number from %(low)s to %(high)s", **v),
    words.BETWEEN: lambda v: _("must be a number from %(low)s to %(high)s", **v),
    words.AT_LEAST: lambda v: _("must be %(n)s or more", **v),
    words.AT_MOST: lambda v: _("must be %(n)s or less", **v),
    words.MORE_THAN: lambda v: _("must be more than %(n)s", **v),
    words.LESS_THAN: lambda v: _("must be less than %(n)s", **v),
    words.MULTIPLE_OF: lambda v: _("must be a multiple of %(n)s", **v),
    words.MAX_LENGTH: lambda v: _("must be at most %(n)s characters", **v),
    words.MIN_LENGTH: lambda v: _("must be at least %(n)s characters", **v),
    words.MIN_ITEMS: lambda v: _("needs at least %(n)s entries", **v),
    words.MAX_ITEMS: lambda v: _("may have at most %(n)s entries", **v),
    words.MIN_ANSWERS: lambda v: _("needs at least %(n)s answers", **v),
    words.MAX_ANSWERS: lambda v: _("may have at most %(n)s answers", **v),
}
_LIMIT_PATTERNS = tuple(
    (re.compile(re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
                .replace("{low}", "(?P<low>[^ ]+)").replace("{high}", "(?P<high>[^ ]+)")
                .replace("{n}", "(?P<n>[^ ]+)")), translate)
    for template, translate in LIMITS.items())

# Engine messages that quote a value or a number: translated by pattern, the value kept as typed.
_QUOTING = (
    (re.compile(r"no active user '(?P<name>.*)'"), lambda m: _("%(name)s is not an active user", name=m["name"])),
    (re.compile(r"unknown time zone '(?P<zone>.*)'"), lambda m: _("unknown time zone %(zone)s", zone=m["zone"])),
    (re.compile(r"unknown group\(s\): (?P<groups>[^;]*);.*"),
     lambda m: _("unknown group: %(groups)s", groups=m["groups"])),
    (re.compile(r"no user '(?P<name>.*)'"), lambda m: _("there is no user %(name)s", name=m["name"])),
    (re.compile(r"(?P<count>\d+) open task\(s\) wait for this group; reassign them first"),
     lambda m: _("%(count)s open tasks wait for this group; reassign them first", count=m["count"])),
    (re.compile(r"use 2 to (?P<n>\d+) letters, digits or \. _ @ -"),
     lambda m: _("use 2 to %(n)s letters, digits or . _ @ -", n=m["n"])),
    (re.compile(r"use 1 to (?P<n>\d+) characters without /, not starting or ending with a space"),
     lambda m: _("use 1 to %(n)s characters without /, not starting or ending with a space", n=m["n"])),
    (re.compile(r"the process catalog lets this group start (?P<processes>.*); change that first"),
     lambda m: _("the process catalog lets this group start %(processes)s; change that first",
                 processes=m["processes"])),
)


def engine_message(message: str) -> str:
    """An engine field message in the page's language (unknown ones stay as they are)."""
    for pattern, translate in _LIMIT_PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            return translate(found.groupdict())
    for pattern, translate in _QUOTING:
        found = pattern.fullmatch(message)
        if found:
            return translate(found)
    return form_text(message)


def field_errors(errors) -> dict[str, list[str]]:
    """Engine `FieldError`s by form field name, translated, for the templates."""
    return errors_by_field(errors, translate=engine_message)
