"""Who is who: users, the groups they belong to, departments, and whom a task can be offered to.

Groups are the one way to say what people are for. A few group names mean something to the
engine (`WELL_KNOWN`): `admin` may administer, `manager` manages their own department, and
the key-account process's lanes use `committee` and `chair`; admins create any others (e.g.
`compliance`). A task is offered to one user, to a list of users, or to one *candidate
group* string: `group:NAME` (the group's members) or `manager:DEPT` (a department's managers).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from .db.reference_stamps import Stamps
from .db.schema import Group, GroupMember, TaskCandidate, User
from .errors import NotFound
from .reference_cache import ReferenceCache
from .text import LIMITS, could_be_key

ADMIN, MANAGER = "admin", "manager"
WELL_KNOWN = ("rep", MANAGER, "committee", "chair", ADMIN)


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    groups: frozenset[str]
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
    def candidate_groups(self) -> frozenset[str]:
        """The candidate-group strings of the tasks this person may claim."""
        offers = {f"group:{g}" for g in self.groups}
        if MANAGER in self.groups and self.department:
            offers.add(f"manager:{self.department}")
        return frozenset(offers)

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.groups


# The people of `names` with their groups, as plain rows (no ORM objects to track: a person is
# looked up on every request, and the read is most of a small list's own cost).
_USERS, _MEMBERS = User.__table__, GroupMember.__table__
_WITH_GROUPS = select(*_USERS.c, _MEMBERS.c.group_name).outerjoin(_MEMBERS, _MEMBERS.c.username == _USERS.c.username)
PEOPLE = _WITH_GROUPS.where(_USERS.c.username.in_(bindparam("names", expanding=True)))
PERSON = _WITH_GROUPS.where(_USERS.c.username == bindparam("name"))     # one: a statement cached whole
# ... and with the ids of the tasks offered to them by name, in the same statement (the inbox's
# first read), joined by the unit separator (character 31), which no task id holds: ours are
# UUIDs, and a key from outside with a control character is never looked up (`could_be_key`)
OFFER_SEPARATOR = "\x1f"
_OFFERS = TaskCandidate.__table__
_JOINED = {"sqlite": func.group_concat(_OFFERS.c.task_id, literal_column("char(31)")),
           "postgresql": func.string_agg(_OFFERS.c.task_id, literal_column("chr(31)"))}
PERSON_WITH_OFFERS = {dialect: PERSON.add_columns(select(joined).where(_OFFERS.c.username == bindparam("name"))
                                                  .scalar_subquery().label("offered"))
                      for dialect, joined in _JOINED.items()}
_MEMBER = _MEMBERS.alias("member")
# a group's active members (of one department), each with all their groups
_MEMBERS_OF = (select(*_USERS.c, _MEMBERS.c.group_name)
               .join(_MEMBER, (_MEMBER.c.username == _USERS.c.username) & (_MEMBER.c.group_name == bindparam("group")))
               .outerjoin(_MEMBERS, _MEMBERS.c.username == _USERS.c.username)
               .where(_USERS.c.active.is_(True)))
_MEMBERS_OF_IN = _MEMBERS_OF.where(_USERS.c.department == bindparam("department"))


def _person(user, groups: set[str]) -> Person:
    return Person(user.username, user.display_name or user.username, frozenset(groups), user.department,
                  user.reports_to, user.email, user.active, user.time_zone, user.locale, user.notify,
                  user.delegate, user.delegate_from, user.delegate_until)


class Directory:
    """Reads people and groups from the current unit of work's session."""

    def __init__(self, session: Session):
        self.session = session
        self._people: dict[str, Person | None] = {}   # one unit of work sees one directory
        self._group_names: tuple[str, ...] | None = None
        self._members: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._candidates: dict[str, frozenset[str]] = {}
        self._kept: ReferenceCache | None = None
        self._stamps = Stamps(None, None)

    def rely_on(self, kept: ReferenceCache, stamps: Stamps) -> None:
        """Answer who is in a group, which groups exist and the exchange rates from `kept` while
        the counts of changes this transaction read (`stamps`) are those the answers were kept at."""
        self._kept, self._stamps = kept, stamps

    def _kept_or_read(self, key: tuple, stamp: int | None, read):
        return read() if self._kept is None else self._kept.get(key, stamp, read)

    def find(self, username: str | None) -> Person | None:
        if not username or not could_be_key(username, LIMITS["username"]):
            return None
        if username not in self._people:
            self.find_all([username])
        return self._people[username]

    def know(self, person: Person) -> None:
        """Take a person this unit of work's caller has just read (the request's sign-in), so
        that they are not read again."""
        self._people.setdefault(person.username, person)

    def keep(self, username: str, row, groups: frozenset[str]) -> None:
        """Take a person another statement read beside its own rows, as `PERSON` reads them (a
        completion's lock reads the project's owner); `row` None: there is no such user."""
        self._people.setdefault(username, _person(row, set(groups)) if row is not None else None)

    def find_all(self, usernames) -> dict[str, Person]:
        """The people of `usernames` that exist, reading those not yet seen in one statement."""
        wanted = {u for u in usernames if isinstance(u, str) and could_be_key(u, LIMITS["username"])}
        missing = sorted(wanted - self._people.keys())
        if missing:
            statement, values = (PERSON, {"name": missing[0]}) if len(missing) == 1 else (PEOPLE, {"names": missing})
            self._keep(missing, self.session.execute(statement, values).all())
        return {u: p for u in wanted if (p := self._people[u]) is not None}

    def find_with_offers(self, username: str | None) -> tuple[Person | None, list[str]]:
        """The person (as `find` has them) and the ids of the tasks offered to them by name,
        read in one statement."""
        if not username or not could_be_key(username, LIMITS["username"]):
            return None, []
        statement = PERSON_WITH_OFFERS[self.session.get_bind().dialect.name]
        rows = self.session.execute(statement, {"name": username}).all()
        self._keep([username], rows)
        offered = rows[0].offered if rows else None
        return self._people[username], offered.split(OFFER_SEPARATOR) if offered else []

    def _keep(self, usernames: list[str], rows) -> None:
        """Remember the people of `usernames` from their rows (one per group; none: no such user)."""
        groups: dict[str, set[str]] = {}
        for row in rows:
            groups.setdefault(row.username, set()).update([row.group_name] if row.group_name else [])
        users = {row.username: row for row in rows}
        self._people.update({u: _person(users[u], groups[u]) if u in users else None for u in usernames})

    def get(self, username: str) -> Person:
        person = self.find(username)
        if person is None:
            raise NotFound(f"No user {username!r}")
        return person

    def in_group(self, group: str, department: str | None = None) -> list[str]:
        """The active members of `group` (only those of `department`, when given); each member is
        read whole (with their groups) in the same statement, as they are often looked up next."""
        if (group, department) not in self._members:
            members, people = self._kept_or_read(("members", group, department), self._stamps.people,
                                                 lambda: self._read_members(group, department))
            for username, person in people.items():
                self._people.setdefault(username, person)
            self._members[(group, department)] = members
        return list(self._members[(group, department)])

    def _read_members(self, group: str, department: str | None) -> tuple[tuple[str, ...], dict[str, Person]]:
        statement = _MEMBERS_OF if department is None else _MEMBERS_OF_IN
        groups: dict[str, set[str]] = {}
        users = {}
        for row in self.session.execute(statement, {"group": group, "department": department}):
            users[row.username] = row
            groups.setdefault(row.username, set()).update([row.group_name] if row.group_name else [])
        return tuple(sorted(users)), {u: _person(users[u], groups[u]) for u in users}

    def managers_of(self, department: str | None) -> list[str]:
        return self.in_group(MANAGER, department) if department else []

    def group_names(self) -> list[str]:
        if self._group_names is None:
            self._group_names = self._kept_or_read(("group names",), self._stamps.people, lambda: tuple(
                self.session.scalars(select(Group.name).order_by(Group.name))))
        return list(self._group_names)

    def group_for_lane(self, lane_id: str | None, lane_name: str | None) -> str | None:
        """The group a lane reaches: the one named like the lane's id, else like its name
        (spiff-arena's convention), ignoring case when nothing matches exactly."""
        names = self.group_names()
        for wanted in (lane_id, lane_name):
            if wanted in names:
                return wanted
        folded = {n.casefold(): n for n in names}
        for wanted in (lane_id, lane_name):
            if wanted and wanted.casefold() in folded:
                return folded[wanted.casefold()]
        return None

    def stand_in(self, username: str | None, now) -> str | None:
        """Who receives `username`'s new tasks now: their delegate while out of office."""
        user = self.find(username)
        if user is None or not user.delegate:
            return username
        if (user.delegate_from and now < user.delegate_from) or (user.delegate_until and now >= user.delegate_until):
            return username
        delegate = self.find(user.delegate)
        return delegate.username if delegate is not None and delegate.active else username

    def members_of(self, candidate_group: str) -> list[str]:
        kind, _, name = candidate_group.partition(":")
        if kind == "manager":
            return self.managers_of(name)
        return self.in_group(name) if kind in ("group", "role") else []

    def candidates_of(self, task_id: str) -> frozenset[str]:
        """The people a task is offered to by name (spiff-arena's `lane_owners`)."""
        if task_id not in self._candidates:
            self._candidates[task_id] = frozenset(self.session.scalars(
                select(TaskCandidate.username).where(TaskCandidate.task_id == task_id)))
        return self._candidates[task_id]

    def offered(self, task_id: str, candidates) -> None:
        """Note the candidates of a task this unit of work just created (no need to read them back)."""
        self._candidates[task_id] = frozenset(candidates)

    def reached_by(self, task) -> list[str]:
        """Everyone a task row reaches now: its assignee, else its candidates or group members."""
        if task.assignee:
            return [task.assignee]
        named = sorted(self.candidates_of(task.id))
        people = named or self.members_of(task.candidate_group or "")
        return [u for u in people if u != task.excluded_user]

    def script_functions(self) -> dict:
        """Functions BPMN scripts may call; they read the directory as it is now."""
        from .workspace import currency

        def committee_members_for(owner):
            return [u for u in self.in_group("committee") if u != owner]

        def in_base_currency(amount, code):
            """The amount in the base currency by today's rate (MissingRate stops the step)."""
            base = currency.base_currency()
            table = self._kept_or_read(("rates", base), self._stamps.rates,
                                       lambda: tuple(currency.rates(self.session, base)))
            return float(currency.to_base(self.session, amount, code, datetime.now(timezone.utc).date(),
                                          table).base_amount)
        return {"committee_members_for": committee_members_for, "in_base_currency": in_base_currency,
                "base_currency": currency.base_currency}
