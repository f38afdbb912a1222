"""Rules for the text the engine accepts: how long it may be, and which characters it may hold.

A column's declared size is the one number for a text field: validators read it here and
the web forms' `maxlength` attributes read the same `LIMITS`, so the two cannot drift apart.
Control characters are refused (tab, line feed and carriage return only in multi-line
fields): PostgreSQL refuses NUL in text outright, and the others break mail headers, file
names and pages. Lone surrogates cannot be stored as UTF-8, so they are refused too.
"""
from __future__ import annotations

import re

from .db.schema import Attachment, Group, Instance, Task, User
from .errors import FieldError, ValidationFailed

# Unicode category Cc (U+0000-U+001F, U+007F-U+009F) and Cs (surrogates)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# What may be trimmed from the ends of typed text: spaces of every script, and tab and line
# breaks. Other control characters are never trimmed away: they stay and are refused.
_EDGES = " \t\n\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
         "\u2028\u2029\u202f\u205f\u3000"

ONE_LINE = "must be one line of text without control characters"
NO_CONTROL = "must not contain control characters"
# Free text kept where no column size applies (the audit log's payload, a Text column).
REASON_LENGTH = 2000        # a withdraw/suspend reason
DESCRIPTION_LENGTH = 2000   # a group's description


def column_limit(column) -> int:
    """The declared length of a String column, given as the mapped attribute (`User.email`)."""
    length = getattr(column.type, "length", None)
    if not length:
        raise ValueError(f"{column} has no declared length")
    return length


LIMITS: dict[str, int] = {
    "username": column_limit(User.username),
    "display_name": column_limit(User.display_name),
    "department": column_limit(User.department),
    "email": column_limit(User.email),
    "reports_to": column_limit(User.reports_to),
    "time_zone": column_limit(User.time_zone),
    "locale": column_limit(User.locale),
    "delegate": column_limit(User.delegate),
    "project_name": column_limit(Instance.project_name),
    "search": column_limit(Instance.project_name),     # longer cannot match a project or account name
    "step": column_limit(Task.bpmn_id),
    "filename": column_limit(Attachment.filename),
    "reason": REASON_LENGTH,
    "group_name": column_limit(Group.name),
    "group_description": DESCRIPTION_LENGTH,
}


def trim(value: str) -> str:
    """Typed text without the spaces around it (what every form keeps of a typed value)."""
    return value.strip(_EDGES)


def has_control(text: str, multiline: bool = False) -> bool:
    return (_CONTROL_IN_LINES if multiline else _CONTROL).search(text) is not None


def problem(value, limit: int | None = None, multiline: bool = False) -> str | None:
    """What is wrong with `value` as a text field's content, or None."""
    if not isinstance(value, str):
        return "must be text"
    if has_control(value, multiline):
        return NO_CONTROL if multiline else ONE_LINE
    if limit is not None and len(value) > limit:
        return f"must be at most {limit} characters"
    return None


def field_error(path: str, value, limit: int | None = None, multiline: bool = False) -> FieldError | None:
    message = problem(value, limit, multiline)
    return FieldError(path, message) if message else None


def require(*errors: FieldError | None) -> None:
    """Raise `ValidationFailed` with every error given (None means that field was fine)."""
    found = [e for e in errors if e is not None]
    if found:
        raise ValidationFailed(found)


def check(path: str, value, limit: int | None = None, multiline: bool = False) -> None:
    require(field_error(path, value, limit, multiline))


def could_be_key(value, limit: int) -> bool:
    """Whether `value` could be a stored key: a lookup with anything else finds nothing, and
    must not reach the database (PostgreSQL answers NUL with an error, not with no rows)."""
    return isinstance(value, str) and len(value) <= limit and not has_control(value)
