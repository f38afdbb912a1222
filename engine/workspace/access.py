"""Who may see and who may change an account and everything under it.

Seeing: the account team (owner and team members), our executive sponsor, the managers above
any of them (their department's managers and their `reports_to` chain), the committee, the
chair and admins. Changing: the owner, the team and admins. Changing our side (owner, team,
sponsor): the owner and admins. Contacts and competitors follow their account.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from ..db.schema import GroupMember, User
from ..db.workspace import Account, AccountTeamMember
from ..directory import ADMIN, MANAGER, Directory, Person
from ..errors import NotAllowed, NotFound

SEE_ALL = frozenset({ADMIN, "committee", "chair"})


def team_of(session, account: Account) -> list[str]:
    return list(session.scalars(select(AccountTeamMember.username)
                                .where(AccountTeamMember.account_id == account.id)
                                .order_by(AccountTeamMember.username)))


def managers_above(directory: Directory, username: str) -> set[str]:
    """The department's managers and everyone up the `reports_to` chain of `username`."""
    person = directory.find(username)
    chain = set(directory.managers_of(person.department)) if person is not None else set()
    while person is not None and person.reports_to and person.reports_to not in chain:
        chain.add(person.reports_to)
        person = directory.find(person.reports_to)
    chain.discard(username)
    return chain


def may_view(uow, account: Account, person: Person | None) -> bool:
    if person is None or not person.active:
        return False
    if person.groups & SEE_ALL or person.username in (account.owner, account.executive_sponsor):
        return True
    team = {account.owner, *team_of(uow.session, account)}
    return person.username in team or any(person.username in managers_above(uow.directory, m) for m in team)


def may_edit(uow, account: Account, person: Person | None) -> bool:
    if person is None or not person.active:
        return False
    return person.is_admin or person.username == account.owner or person.username in team_of(uow.session, account)


def may_manage(account: Account, person: Person | None) -> bool:
    return person is not None and person.active and (person.is_admin or person.username == account.owner)


def get_account(session, account_id: str) -> Account:
    account = session.get(Account, account_id) if account_id else None
    if account is None:
        raise NotFound(f"No account {account_id!r}")
    return account


def viewable(uow, account_id: str, username: str) -> tuple[Account, Person]:
    """The account, if `username` may see it (NotFound first, then NotAllowed)."""
    account = get_account(uow.session, account_id)
    person = uow.directory.find(username)
    if not may_view(uow, account, person):
        raise NotAllowed(f"{username} may not see this account")
    return account, person


def editable(uow, account_id: str, username: str) -> tuple[Account, Person]:
    account = get_account(uow.session, account_id)
    person = uow.directory.find(username)
    if not may_edit(uow, account, person):
        if may_view(uow, account, person):
            raise NotAllowed(f"{username} may see but not change this account")
        raise NotAllowed(f"{username} may not see this account")
    return account, person


def people_under(session, username: str) -> set[str]:
    """Everyone `username` manages: whose department they manage, or up whose chain they are."""
    users = session.execute(select(User.username, User.department, User.reports_to)).all()
    managers: dict[str, set[str]] = {}
    for name, department in session.execute(
            select(User.username, User.department).join(GroupMember, GroupMember.username == User.username)
            .where(GroupMember.group_name == MANAGER, User.active.is_(True))):
        if department:
            managers.setdefault(department, set()).add(name)
    boss = {name: reports_to for name, _department, reports_to in users}
    under = set()
    for name, department, _reports_to in users:
        seen, current = set(), name
        above = set(managers.get(department, ()))
        while boss.get(current) and boss[current] not in seen:
            seen.add(boss[current])
            current = boss[current]
        if username in above | seen and name != username:
            under.add(name)
    return under


def visible_filter(uow, person: Person | None) -> ColumnElement[bool]:
    """A WHERE clause on `Account` selecting the accounts `person` may see."""
    if person is None or not person.active:
        return false()
    if person.groups & SEE_ALL:
        return true()
    people = {person.username} | people_under(uow.session, person.username)
    on_team = select(AccountTeamMember.account_id).where(AccountTeamMember.username.in_(sorted(people)))
    return or_(Account.owner.in_(sorted(people)), Account.id.in_(on_team),
               Account.executive_sponsor == person.username)


def visible_ways(person: Person, people: list[str]) -> list:
    """`visible_filter`'s accounts as the three ways in it ORs (owned by `people`, the person
    and everyone under them; on their teams; sponsored by the person), each a SELECT of account
    ids, for a query that probes an index once per way: an OR of the three is estimated at half
    of all accounts, so PostgreSQL scans instead. Only for a person who does not see all."""
    return [select(Account.id).where(Account.owner.in_(people)),
            select(AccountTeamMember.account_id).where(AccountTeamMember.username.in_(people)),
            select(Account.id).where(Account.executive_sponsor == person.username)]
