"""Who may see a project: its team and their managers, never everyone.

The owner, admins, anyone who has or had a task on the project (including the group a task
is offered to), anyone an escalation about it was sent to, everyone up the management chain
of the owner and of its reviewing managers, and whoever may see the project's account
(engine/workspace/access.py) may see it. An escalation that reaches someone therefore always
shows them what they are asked to act on.
"""
from __future__ import annotations

from sqlalchemy import select

from .. import auditlog
from ..assignment import MANAGER_LANE
from ..db.schema import AuditEvent, Instance, Task
from ..db.workspace import Account
from ..directory import Directory
from ..workspace import access as account_access


def _chain_above(directory: Directory, usernames: set[str]) -> set[str]:
    """The managers of each person's department and everyone each of them reports to, up to the top."""
    above: set[str] = set()
    todo = [m for name in usernames if (p := directory.find(name)) is not None
            for m in [*directory.managers_of(p.department), p.reports_to] if m]
    while todo:
        name = todo.pop()
        if name in above:
            continue
        above.add(name)
        boss = getattr(directory.find(name), "reports_to", None)
        if boss:
            todo.append(boss)
    return above


def _reviewing_managers(directory: Directory, rows: list[Task]) -> set[str]:
    reviewers = set()
    for row in rows:
        if row.lane != MANAGER_LANE:
            continue
        reviewers.update(n for n in (row.assignee, row.closed_by) if n)
        if row.candidate_group and not row.assignee:
            reviewers.update(directory.members_of(row.candidate_group))
    return reviewers


def _escalated_to(session, instance_id: str) -> set[str]:
    events = list(session.scalars(select(AuditEvent).where(
        AuditEvent.stream == auditlog.instance_stream(instance_id), AuditEvent.kind == "escalation")))
    payloads = auditlog.payloads(session, [e.id for e in events])
    return {name for e in events for name in {**(e.meta or {}), **payloads.get(e.id, {})}.get("notified", [])}


def may_view(uow, instance_id: str, username: str) -> bool:
    s = uow.session
    inst = s.get(Instance, instance_id) if instance_id else None
    directory = uow.directory
    user = directory.find(username)
    if inst is None or user is None or not user.active:
        return False
    if user.is_admin or user.username == inst.owner:
        return True
    account = s.get(Account, inst.account_id) if inst.account_id else None
    if account is not None and account_access.may_view(uow, account, user):
        return True
    rows = list(s.scalars(select(Task).where(Task.instance_id == instance_id)))
    for row in rows:
        if user.username in (row.assignee, row.closed_by):
            return True
        if row.excluded_user != user.username and (row.candidate_group in user.candidate_groups
                                                   or user.username in directory.candidates_of(row.id)):
            return True
    if user.username in _escalated_to(s, instance_id):
        return True
    return user.username in _chain_above(directory, {inst.owner} | _reviewing_managers(directory, rows))
