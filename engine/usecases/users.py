"""Creating and updating users (again = update), and checking passwords.

Every text field is checked against its column (engine/text.py) before anything is saved,
and a time zone against the tz database, so no profile can break a page later.
"""
from __future__ import annotations

import re

from sqlalchemy import delete, select

from .. import auditlog, zones
from ..db.schema import AuthSession, GroupMember, User, utcnow
from ..directory import Directory, Person, _person
from ..errors import FieldError, NotFound
from ..password_rules import password_error
from ..passwords import check_password, hash_password
from ..text import LIMITS, field_error, require
from ..views import UserView

_USERNAME = re.compile(rf"^[A-Za-z0-9_.@-]{{2,{LIMITS['username']}}}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
LOCALES = ("zh_Hant", "en")
_UNSET = object()


def view(person: Person) -> UserView:
    return UserView(person.username, person.display_name, sorted(person.groups), person.department,
                    person.reports_to, person.email, person.active, person.time_zone, person.locale,
                    person.notify, person.delegate, person.delegate_from, person.delegate_until)


def person_of(user: UserView) -> Person:
    """The person a view shows (as `view` made it), for a use case handed who signed in."""
    return Person(user.username, user.display_name, frozenset(user.groups), user.department, user.reports_to,
                  user.email, user.active, user.time_zone, user.locale, user.notify, user.delegate,
                  user.delegate_from, user.delegate_until)


def _username_error(path: str, value) -> FieldError | None:
    if isinstance(value, str) and _USERNAME.fullmatch(value):
        return None
    return FieldError(path, f"use 2 to {LIMITS['username']} letters, digits or . _ @ -")


def _zone_error(value) -> FieldError | None:
    return None if zones.is_known(value) else FieldError("$.time_zone", f"unknown time zone {value!r}")


def _locale_error(value) -> FieldError | None:
    return None if value in LOCALES else FieldError("$.locale", "use zh_Hant or en")


def _email_error(value) -> FieldError | None:
    return field_error("$.email", value, LIMITS["email"]) or (
        None if _EMAIL.fullmatch(value) else FieldError("$.email", "must be an e-mail address"))


def _profile_errors(display_name, department, reports_to, email, time_zone, locale) -> list:
    """What is wrong with the optional profile fields (None means "not given")."""
    checks = ((display_name, lambda v: field_error("$.display_name", v, LIMITS["display_name"])),
              (department, lambda v: field_error("$.department", v, LIMITS["department"])),
              (reports_to, lambda v: _username_error("$.reports_to", v)), (email, _email_error),
              (time_zone, _zone_error), (locale, _locale_error))
    return [check(value) for value, check in checks if value is not None]


def add_user(uow, username: str, groups=None, department=None, reports_to=None, email=None,
             password=None, display_name=None, active=True, time_zone=None, locale=None,
             actor: str | None = None) -> UserView:
    """Create or update a user; `groups` replaces the groups they belong to. Audited on the
    user's stream (who did it, the groups, whether a password was set; never the password)."""
    groups = list(groups or [])
    known = Directory(uow.session).group_names()
    unknown = [g for g in groups if g not in known]
    require(_username_error("$.username", username),
            FieldError("$.groups", f"unknown group(s): {', '.join(map(str, unknown))}; known: {', '.join(known)}")
            if unknown else None,
            password_error(password) if password is not None else None,
            *_profile_errors(display_name, department, reports_to, email, time_zone, locale))
    s = uow.session
    user = s.get(User, username)
    if user is None:
        user = User(username=username)
        s.add(user)
    user.display_name = display_name or user.display_name or username
    user.department, user.reports_to, user.email, user.active = department, reports_to, email, active
    user.time_zone = time_zone or user.time_zone or zones.DEFAULT
    user.locale = locale or user.locale or "zh_Hant"
    if password is not None:
        user.password_hash = hash_password(password)
    s.flush()
    s.execute(delete(GroupMember).where(GroupMember.username == username))
    s.add_all(GroupMember(username=username, group_name=g) for g in dict.fromkeys(groups))
    s.flush()
    auditlog.record(s, f"user:{username}", "user_saved", actor, utcnow(),
                    meta={"groups": sorted(set(groups)), "active": bool(active), "password_set": password is not None})
    return view(Directory(s).get(username))


def authenticate(uow, username: str, password: str) -> UserView | None:
    """The user if the password matches and the account is active, else None; a name no
    account could have is refused as such (it says nothing about who exists). The hasher runs
    whether or not the user exists, so the time taken does not tell either."""
    require(field_error("$.username", username, LIMITS["username"]))
    user = uow.session.get(User, username) if username else None
    known = user is not None and user.active
    if not check_password(user.password_hash if known else None, password) or not known:
        return None
    return view(Directory(uow.session).get(username))


def change_password(uow, username: str, current: str, new: str, keep_session: str | None, now) -> None:
    """A user's own new password: the current one is required, the new one follows the rules,
    and every other session of the user ends (a thief signed in elsewhere is signed out)."""
    user = uow.session.get(User, username)
    if user is None or not user.active:
        raise NotFound(f"no active user {username!r}")
    require(None if check_password(user.password_hash, current) else FieldError("$.current_password",
                                                                               "is not your current password"),
            password_error(new, "$.new_password"),
            FieldError("$.new_password", "must differ from the current password") if new == current else None)
    user.password_hash = hash_password(new)
    uow.session.execute(delete(AuthSession).where(AuthSession.username == username,
                                                  AuthSession.token_hash != (keep_session or "")))
    auditlog.record(uow.session, f"user:{username}", "password_changed", username, now)


def list_users(uow) -> list[UserView]:
    """Everyone, in two queries whatever their number."""
    groups: dict[str, set[str]] = {}
    for username, group in uow.session.execute(select(GroupMember.username, GroupMember.group_name)):
        groups.setdefault(username, set()).add(group)
    return [view(_person(u, groups.get(u.username, set())))
            for u in uow.session.scalars(select(User).order_by(User.username))]


def get_user(uow, username: str) -> UserView:
    person = Directory(uow.session).find(username)
    if person is None:
        raise NotFound(f"No user {username!r}")
    return view(person)


def set_preferences(uow, username: str, notify=_UNSET, locale=_UNSET, time_zone=_UNSET) -> UserView:
    user = uow.session.get(User, username)
    if user is None:
        raise NotFound(f"No user {username!r}")
    require(_locale_error(locale) if locale is not _UNSET else None,
            _zone_error(time_zone) if time_zone is not _UNSET else None)
    if locale is not _UNSET:
        user.locale = locale
    if time_zone is not _UNSET:
        user.time_zone = time_zone
    if notify is not _UNSET:
        user.notify = bool(notify)
    uow.session.flush()
    return view(Directory(uow.session).get(username))
