"""Creating and updating users (again = update), and checking passwords."""
from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select

from ..db.schema import GroupMember, User
from ..directory import Directory, Person, _person
from ..errors import FieldError, NotFound, ValidationFailed
from ..passwords import check_password, hash_password
from ..views import UserView

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
_UNSET = object()


def view(person: Person) -> UserView:
    return UserView(person.username, person.display_name, sorted(person.groups), person.department,
                    person.reports_to, person.email, person.active, person.time_zone, person.locale,
                    person.notify, person.delegate, person.delegate_from, person.delegate_until)


def add_user(uow, username: str, groups=None, department=None, reports_to=None, email=None,
             password=None, display_name=None, active=True, time_zone=None, locale=None) -> UserView:
    """Create or update a user; `groups` replaces the groups they belong to."""
    errors = []
    if not isinstance(username, str) or not _USERNAME.match(username):
        errors.append(FieldError("$.username", "use 2 to 64 letters, digits or . _ @ -"))
    groups = list(groups or [])
    known = Directory(uow.session).group_names()
    unknown = [g for g in groups if g not in known]
    if unknown:
        errors.append(FieldError("$.groups", f"unknown group(s): {', '.join(unknown)}; known: {', '.join(known)}"))
    if password is not None and len(password) < 8:
        errors.append(FieldError("$.password", "must be at least 8 characters"))
    if errors:
        raise ValidationFailed(errors)
    s = uow.session
    user = s.get(User, username)
    if user is None:
        user = User(username=username)
        s.add(user)
    user.display_name = display_name or user.display_name or username
    user.department, user.reports_to, user.email, user.active = department, reports_to, email, active
    user.time_zone = time_zone or user.time_zone or "Asia/Taipei"
    user.locale = locale or user.locale or "zh_Hant"
    if password is not None:
        user.password_hash = hash_password(password)
    s.flush()
    s.execute(delete(GroupMember).where(GroupMember.username == username))
    s.add_all(GroupMember(username=username, group_name=g) for g in dict.fromkeys(groups))
    s.flush()
    return view(Directory(s).get(username))


def authenticate(uow, username: str, password: str) -> UserView | None:
    """The user if the password matches and the account is active, else None."""
    user = uow.session.get(User, username) if username else None
    if user is None or not user.active or not check_password(user.password_hash, password):
        return None
    return view(Directory(uow.session).get(username))


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
    if locale is not _UNSET:
        if locale not in ("zh_Hant", "en"):
            raise ValidationFailed([FieldError("$.locale", "use zh_Hant or en")])
        user.locale = locale
    if time_zone is not _UNSET:
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValidationFailed([FieldError("$.time_zone", f"unknown time zone {time_zone!r}")]) from None
        user.time_zone = time_zone
    if notify is not _UNSET:
        user.notify = bool(notify)
    uow.session.flush()
    return view(Directory(uow.session).get(username))
