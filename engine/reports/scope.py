"""Which rows a report may show its viewer, and the filters as WHERE clauses.

A rep sees her own accounts and projects (and those of accounts she is on the team of); a
manager also those of everyone below them (their department and the `reports_to` chain: the
account list's rule, `engine.workspace.access`); the committee, the chair and admins see
everything. Projects are the home process's instances only (the key-account process); until
an admin marks one home, the processes whose instances belong to an account.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, select, true, union

from ..db.schema import Instance, User
from ..db.workspace import Account
from ..directory import Person
from ..errors import NotAllowed
from ..usecases.process_catalog import home
from ..workspace import access
from ..workspace.projects import project_processes
from .filters import Filters


def viewer(uow, username: str) -> Person:
    person = uow.directory.find(username)
    if person is None or not person.active:
        raise NotAllowed(f"{username} may not read reports")
    return person


def _owners(filters: Filters):
    """Owner usernames the department filter allows (a subquery), or None for no filter."""
    if filters.department is None:
        return None
    return select(User.username).where(User.department == filters.department)


def accounts_where(uow, person: Person, filters: Filters) -> list[ColumnElement[bool]]:
    clauses = [access.visible_filter(uow, person)]
    if filters.rep:
        clauses.append(Account.owner == filters.rep)
    if (owners := _owners(filters)) is not None:
        clauses.append(Account.owner.in_(owners))
    if filters.account_type:
        clauses.append(Account.account_type == filters.account_type)
    return clauses


def sees_every_account(person: Person, filters: Filters) -> bool:
    """The view holds every account: the committee, the chair or an admin, with no account filter.
    A report may then leave out its `account_id IN (accounts in view)`: every row passes it, and
    SQLite still probes it per row (a third of relationship coverage at 120,000 activities)."""
    return bool(person.groups & access.SEE_ALL) and not (filters.rep or filters.department or filters.account_type)


def sees_every_account_of_type(person: Person, filters: Filters) -> bool:
    """The view holds every account of one type and nothing else narrows it (the committee, the
    chair or an admin filtering by account type only)."""
    return bool(person.groups & access.SEE_ALL and filters.account_type) and not (filters.rep or filters.department)


def _visible_projects(uow, person: Person, processes: list[str]) -> ColumnElement[bool]:
    """The projects of `processes` `person` may see. For anyone who does not see all, a UNION of
    the indexed ways in (own or her people's; on an account owned by them, on their teams, or
    sponsored), each with the process filter inside: SQLite answers an OR across two columns, or
    an outer process filter, by reading every instance row - and each row holds its whole
    workflow state (25 KB) - and PostgreSQL, estimating the OR of the account ways at half of
    all accounts, scanned every instance; one way each probes `ix_instances_accounts` (0026)."""
    if person.groups & access.SEE_ALL:
        return Instance.process_id.in_(processes)
    people = sorted({person.username} | access.people_under(uow.session, person.username))
    # `process_id || ''`: a test SQLite cannot take for a way in (nearly every instance is a
    # project: without statistics it would walk the process index instead of the owner's)
    of_process = Instance.process_id.concat("").in_(processes)
    return Instance.id.in_(union(select(Instance.id).where(Instance.owner.in_(people), of_process),
                                 *[select(Instance.id).where(Instance.account_id.in_(accounts), of_process)
                                   for accounts in access.visible_ways(person, people)]))


def project_process_ids(ctx, uow) -> list[str]:
    """The processes whose instances are projects: the home process, else those of accounts."""
    process = home(uow.session)
    return [process] if process else project_processes(ctx, uow.session)


def projects_where(ctx, uow, person: Person, filters: Filters) -> list[ColumnElement[bool]]:
    """Key-account projects `person` may see, narrowed by the filters (the period is the caller's)."""
    clauses = [_visible_projects(uow, person, project_process_ids(ctx, uow))]
    if filters.rep:
        clauses.append(Instance.owner == filters.rep)
    if (owners := _owners(filters)) is not None:
        clauses.append(Instance.owner.in_(owners))
    if filters.account_type:
        clauses.append(Instance.account_id.in_(select(Account.id).where(Account.account_type == filters.account_type)))
    return clauses


def between(column, filters: Filters) -> list[ColumnElement[bool]]:
    """`column` within the filters' period."""
    clauses = []
    if filters.starts is not None:
        clauses.append(column >= filters.starts)
    if filters.ends is not None:
        clauses.append(column < filters.ends)
    return clauses
