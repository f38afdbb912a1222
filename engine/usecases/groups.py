"""Groups, managed by admins: create, rename, describe, delete, add and remove members.

Every change is an event on the audit log's `system` stream (docs/audit.md) naming the group
in its `meta`; descriptions, being free text, go in the erasable payload. A rename carries the
group's tasks along; the well-known groups keep their names, since the engine relies on them;
a group that open tasks are offered to cannot be deleted until they are reassigned.
"""
from __future__ import annotations

import re

from sqlalchemy import bindparam, delete, func, select, text, update

from .. import auditlog
from ..db.schema import AuditEvent, Group, GroupMember, Task, User
from ..directory import WELL_KNOWN
from ..errors import FieldError, NotFound, ValidationFailed
from ..text import LIMITS, field_error, require
from ..views import GroupView
from . import process_catalog
from .admin import require_admin

_NAME = re.compile(rf"^[^\s/]([^/]{{0,{LIMITS['group_name'] - 2}}}[^\s/])?$")


def _view(session, group: Group) -> GroupView:
    members = session.scalars(select(GroupMember.username).where(GroupMember.group_name == group.name)
                              .order_by(GroupMember.username))
    return GroupView(group.name, group.description or "", group.name in WELL_KNOWN, list(members))


def _get(session, name: str) -> Group:
    group = session.get(Group, name) if name else None
    if group is None:
        raise NotFound(f"No group {name!r}")
    return group


SYSTEM = "system"
KINDS = ("group_created", "group_described", "group_renamed", "group_deleted", "member_added", "member_removed")


def _audit(ctx, uow, name: str, kind: str, admin: str, meta: dict | None = None, text: dict | None = None) -> None:
    auditlog.record(uow.session, SYSTEM, kind, admin, ctx.clock(), meta={"group": name, **(meta or {})}, payload=text)


def _check(name, description) -> None:
    bad_name = name is not None and (not isinstance(name, str) or not _NAME.match(name) or not name.isprintable())
    require(FieldError("$.name", f"use 1 to {LIMITS['group_name']} characters without /, not starting or ending "
                                 "with a space") if bad_name else None,
            field_error("$.description", description, LIMITS["group_description"], multiline=True)
            if description is not None else None)


# the unclaimed ones from the inbox's indexes (PostgreSQL: the group's; SQLite ranges over the
# unclaimed open tasks), the claimed ones from their own, `ix_tasks_claimed_by_group` (its
# condition spelled out as in the index, so that SQLite sees it applies)
_GROUP = bindparam("group")
CLAIMED = text("tasks.state = 'open' AND tasks.assignee IS NOT NULL")
WAITING = select(select(func.count()).select_from(Task).where(Task.state == "open", Task.candidate_group == _GROUP,
                                                              Task.assignee.is_(None)).scalar_subquery()
                 + select(func.count()).select_from(Task).where(CLAIMED, Task.candidate_group == _GROUP)
                 .scalar_subquery())


def open_tasks_of(session, name: str) -> int:
    """How many open tasks, claimed or not, are offered to group `name`."""
    return session.scalar(WAITING, {"group": f"group:{name}"})


def list_groups(uow) -> list[GroupView]:
    return [_view(uow.session, g) for g in uow.session.scalars(select(Group).order_by(Group.name))]


def get_group(uow, name: str) -> GroupView:
    return _view(uow.session, _get(uow.session, name))


def create(ctx, uow, name: str, description: str, admin: str) -> GroupView:
    require_admin(uow, admin)
    _check(name, description)
    if uow.session.get(Group, name) is not None:
        raise ValidationFailed([FieldError("$.name", "a group of this name exists already")])
    group = Group(name=name, description=description, created_at=ctx.clock())
    uow.session.add(group)
    _audit(ctx, uow, name, "group_created", admin, text={"description": description} if description else None)
    uow.session.flush()
    return _view(uow.session, group)


def change(ctx, uow, name: str, admin: str, new_name: str | None = None,
           description: str | None = None) -> GroupView:
    """Rename and/or describe a group; its members and tasks follow a new name."""
    require_admin(uow, admin)
    s = uow.session
    group = _get(s, name)
    _check(new_name, description)
    if description is not None and description != group.description:
        _audit(ctx, uow, name, "group_described", admin, text={"before": group.description, "after": description})
        group.description = description
    if new_name is not None and new_name != name:
        if name in WELL_KNOWN:
            raise ValidationFailed([FieldError("$.name", "the engine relies on this group's name")])
        if s.get(Group, new_name) is not None:
            raise ValidationFailed([FieldError("$.name", "a group of this name exists already")])
        s.flush()
        s.execute(update(Group).where(Group.name == name).values(name=new_name))   # members follow (ON UPDATE)
        s.execute(update(Task).where(Task.candidate_group == f"group:{name}")
                  .values(candidate_group=f"group:{new_name}"))
        _audit(ctx, uow, new_name, "group_renamed", admin, {"before": name, "after": new_name})
        s.expire_all()
        name = new_name
    s.flush()
    return _view(s, _get(s, name))


def remove(ctx, uow, name: str, admin: str) -> None:
    require_admin(uow, admin)
    s = uow.session
    group = _get(s, name)
    if name in WELL_KNOWN:
        raise ValidationFailed([FieldError("$.name", "the engine relies on this group's name")])
    waiting = open_tasks_of(s, name)
    if waiting:
        raise ValidationFailed([FieldError("$.name", f"{waiting} open task(s) wait for this group; "
                                                     "reassign them first")])
    starts = process_catalog.groups_in_use(s, name)
    if starts:
        raise ValidationFailed([FieldError("$.name", f"the process catalog lets this group start {', '.join(starts)}; "
                                                     "change that first")])
    members = list(s.scalars(select(GroupMember.username).where(GroupMember.group_name == name)))
    s.execute(delete(GroupMember).where(GroupMember.group_name == name))
    s.delete(group)
    _audit(ctx, uow, name, "group_deleted", admin, {"members": members})


def set_membership(ctx, uow, name: str, username: str, member: bool, admin: str) -> GroupView:
    """Add `username` to the group (member=True) or take them out."""
    require_admin(uow, admin)
    s = uow.session
    group = _get(s, name)
    if s.get(User, username or "") is None:
        raise ValidationFailed([FieldError("$.username", f"no user {username!r}")])
    if name == "admin" and not member and username == admin:
        raise ValidationFailed([FieldError("$.username", "you cannot take yourself out of the admins")])
    present = s.get(GroupMember, (name, username)) is not None
    if member and not present:
        s.add(GroupMember(group_name=name, username=username))
        _audit(ctx, uow, name, "member_added", admin, {"username": username})
    elif present and not member:
        s.execute(delete(GroupMember).where(GroupMember.group_name == name, GroupMember.username == username))
        _audit(ctx, uow, name, "member_removed", admin, {"username": username})
    s.flush()
    return _view(s, group)


def history(uow, name: str, admin: str) -> list[dict]:
    """The audit events about a group, newest first, through its renames (under its older names)."""
    require_admin(uow, admin)
    events = list(uow.session.scalars(select(AuditEvent).where(AuditEvent.stream == SYSTEM,
                                                               AuditEvent.kind.in_(KINDS))
                                      .order_by(AuditEvent.seq.desc())))
    texts = auditlog.payloads(uow.session, [e.id for e in events])
    found, names = [], {name}
    for e in events:                 # newest first: a rename adds the older name for what came before
        meta = dict(e.meta or {})
        if meta.get("group") in names:
            found.append({"at": e.at, "actor": e.actor, "kind": e.kind, "data": {**meta, **texts.get(e.id, {})}})
            if e.kind == "group_renamed":
                names = {meta["before"]}
    return found


class Groups:
    """eng.groups: reading groups, and the admin's changes to them."""

    def __init__(self, eng):
        self._eng = eng

    def list(self) -> list[GroupView]:
        return self._eng._read(list_groups)

    def get(self, name: str) -> GroupView:
        return self._eng._read(lambda uow: get_group(uow, name))

    def create(self, name: str, admin: str, description: str = "") -> GroupView:
        return self._eng._write(lambda uow: create(self._eng.ctx, uow, name, description, admin))

    def change(self, name: str, admin: str, new_name: str | None = None,
               description: str | None = None) -> GroupView:
        return self._eng._write(lambda uow: change(self._eng.ctx, uow, name, admin, new_name, description))

    def delete(self, name: str, admin: str) -> None:
        self._eng._write(lambda uow: remove(self._eng.ctx, uow, name, admin))

    def add_member(self, name: str, username: str, admin: str) -> GroupView:
        return self._eng._write(lambda uow: set_membership(self._eng.ctx, uow, name, username, True, admin))

    def remove_member(self, name: str, username: str, admin: str) -> GroupView:
        return self._eng._write(lambda uow: set_membership(self._eng.ctx, uow, name, username, False, admin))

    def history(self, name: str, admin: str) -> list[dict]:
        return self._eng._read(lambda uow: history(uow, name, admin))
