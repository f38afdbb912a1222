"""Who may see a project: its team and their managers, never everyone.

The owner, admins, the managers above the owner, anyone who has or had a task on the
project (including the group a task is offered to), and whoever may see the project's
account (engine/workspace/access.py) may see it.
"""
from __future__ import annotations

from sqlalchemy import select

from ..db.schema import Instance, Task
from ..db.workspace import Account
from ..directory import Directory
from ..workspace import access as account_access


def _manager_chain(directory: Directory, username: str) -> set[str]:
    chain, person = set(), directory.find(username)
    if person is not None:
        chain.update(directory.managers_of(person.department))
    while person is not None and person.reports_to and person.reports_to not in chain:
        chain.add(person.reports_to)
        person = directory.find(person.reports_to)
    return chain


def may_view(uow, instance_id: str, username: str) -> bool:
    s = uow.session
    inst = s.get(Instance, instance_id) if instance_id else None
    directory = uow.directory
    user = directory.find(username)
    if inst is None or user is None or not user.active:
        return False
    if user.is_admin or user.username == inst.owner:
        return True
    if user.username in _manager_chain(directory, inst.owner):
        return True
    account = s.get(Account, inst.account_id) if inst.account_id else None
    if account is not None and account_access.may_view(uow, account, user):
        return True
    for row in s.scalars(select(Task).where(Task.instance_id == instance_id)):
        if user.username in (row.assignee, row.closed_by):
            return True
        if row.excluded_user != user.username and (row.candidate_group in user.candidate_groups
                                                   or user.username in directory.candidates_of(row.id)):
            return True
    return False
