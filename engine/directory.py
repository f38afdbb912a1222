"""Who is who: users, roles, departments and the groups a task can be offered to.

Groups are strings: `role:NAME` (everyone holding the role) and `manager:DEPT` (the
managers of a department). A task is offered to one user (assignee) or one group.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db.schema import User, UserRole
from .errors import NotFound

ROLES = ("rep", "manager", "committee", "chair", "admin")


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    roles: frozenset[str]
    department: str | None
    reports_to: str | None
    email: str | None
    active: bool
    time_zone: str
    locale: str
    notify: bool
    delegate: str | None = None
    delegate_from: object = None
    delegate_until: object = None

    @property
    def groups(self) -> frozenset[str]:
        groups = {f"role:{r}" for r in self.roles}
        if "manager" in self.roles and self.department:
            groups.add(f"manager:{self.department}")
        return frozenset(groups)

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


def _person(user: User, roles: set[str]) -> Person:
    return Person(user.username, user.display_name or user.username, frozenset(roles), user.department,
                  user.reports_to, user.email, user.active, user.time_zone, user.locale, user.notify,
                  user.delegate, user.delegate_from, user.delegate_until)


class Directory:
    """Reads people from the current unit of work's session."""

    def __init__(self, session: Session):
        self.session = session
        self._people: dict[str, Person | None] = {}   # one unit of work sees one directory

    def find(self, username: str | None) -> Person | None:
        if not username:
            return None
        if username not in self._people:
            rows = self.session.execute(select(User, UserRole.role).outerjoin(
                UserRole, UserRole.username == User.username).where(User.username == username)).all()
            roles = {role for _user, role in rows if role}
            self._people[username] = _person(rows[0][0], roles) if rows else None
        return self._people[username]

    def get(self, username: str) -> Person:
        person = self.find(username)
        if person is None:
            raise NotFound(f"No user {username!r}")
        return person

    def with_role(self, role: str) -> list[str]:
        rows = self.session.scalars(
            select(User.username).join(UserRole, UserRole.username == User.username)
            .where(UserRole.role == role, User.active.is_(True)).order_by(User.username))
        return list(rows)

    def managers_of(self, department: str | None) -> list[str]:
        if not department:
            return []
        rows = self.session.scalars(
            select(User.username).join(UserRole, UserRole.username == User.username)
            .where(UserRole.role == "manager", User.department == department, User.active.is_(True))
            .order_by(User.username))
        return list(rows)

    def stand_in(self, username: str | None, now) -> str | None:
        """Who receives `username`'s new tasks now: their delegate while out of office."""
        user = self.session.get(User, username) if username else None
        if user is None or not user.delegate:
            return username
        if (user.delegate_from and now < user.delegate_from) or (user.delegate_until and now >= user.delegate_until):
            return username
        delegate = self.find(user.delegate)
        return delegate.username if delegate is not None and delegate.active else username

    def members_of(self, group: str) -> list[str]:
        kind, _, name = group.partition(":")
        return self.with_role(name) if kind == "role" else self.managers_of(name)

    def script_functions(self) -> dict:
        """Functions BPMN scripts may call; they read the directory as it is now."""
        def committee_members_for(owner):
            return [u for u in self.with_role("committee") if u != owner]
        return {"committee_members_for": committee_members_for}
