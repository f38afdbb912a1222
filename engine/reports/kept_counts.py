"""How the returns report reads the counts the database keeps per project owner and UTC month
(`decision_tallies`, `vote_tallies`; migrations 0029, 0030) for a viewer who sees every project (the
committee, the chair, admins): the period as whole months and the part-months at its ends, and the
filters as the rows took them - the owner (rep), the owner's department, the project's account
type, the home process (or the processes with accounts).

A rep or a manager reads her rows as before (`scope.projects_where`): her projects are found by
owner and account through their indexes, and the tallies, kept per owner, would still need the
projects she sees through an account alone grouped from their rows - measured slower for a rep
(docs/benchmarks.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial

from sqlalchemy import String, cast, func, select

from ..db.schema import Instance, User
from ..db.workspace import Account
from ..directory import Person
from ..workspace import access
from .filters import Filters
from .scope import project_process_ids

NEVER_CLOSED = ""                   # the month of a decided row without a closing time


@dataclass(frozen=True)
class Period:
    """A period as whole months (YYYY-MM, both included; None: open) and the part-months at its ends."""
    whole: bool                                          # no period at all: every tally row
    first_month: str | None
    last_month: str | None
    edges: tuple[tuple[datetime, datetime], ...]

    @property
    def months(self) -> bool:
        return self.whole or self.first_month is None or self.last_month is None or self.first_month <= self.last_month


def _month_start(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, 1, tzinfo=timezone.utc)


def _next_month(moment: datetime) -> datetime:
    return datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=timezone.utc)


def _previous_month(moment: datetime) -> datetime:
    return datetime(moment.year - (moment.month == 1), (moment.month - 2) % 12 + 1, 1, tzinfo=timezone.utc)


def split(starts: datetime | None, ends: datetime | None) -> Period:
    """[starts, ends) as the whole months within it and the rest (UTC; either end may be open)."""
    if starts is None and ends is None:
        return Period(True, None, None, ())
    first = starts if starts is None or starts == _month_start(starts) else _next_month(starts)
    after = ends if ends is None or ends == _month_start(ends) else _month_start(ends)
    if first is not None and after is not None and first >= after:
        return Period(False, "9999-12", "0000-01", ((starts, ends),))
    edges = []
    if starts is not None and starts < first:
        edges.append((starts, first))
    if ends is not None and after < ends:
        edges.append((after, ends))
    return Period(False, first.strftime("%Y-%m") if first else None,
                  _previous_month(after).strftime("%Y-%m") if after else None, tuple(edges))


def sees_every_project(person: Person) -> bool:
    """The committee, the chair and admins: their view is what the tallies count."""
    return bool(person.groups & access.SEE_ALL)


def tally_where(ctx, uow, table, filters: Filters, period: Period) -> list:
    """A tally table's rows (process, owner, account type, month) within the filters and the
    period's whole months."""
    where = [table.process_id.in_(project_process_ids(ctx, uow))]
    if not period.whole:
        where.append(table.month != NEVER_CLOSED)
        if period.first_month:
            where.append(table.month >= period.first_month)
        if period.last_month:
            where.append(table.month <= period.last_month)
    if filters.rep:
        where.append(table.owner == filters.rep)
    if filters.department is not None:
        where.append(table.owner.in_(select(User.username).where(User.department == filters.department)))
    if filters.account_type:
        where.append(table.account_type == filters.account_type)
    return where


def _filtered(column, filters: Filters) -> list:
    owner = column(Instance.owner)
    where = []
    if filters.rep:
        where.append(owner == filters.rep)
    if filters.department is not None:
        where.append(owner.in_(select(User.username).where(User.department == filters.department)))
    if filters.account_type:
        where.append(column(Instance.account_id).in_(
            select(Account.id).where(Account.account_type == filters.account_type)))
    return where


def _unindexed(uow, column):
    """`column || ''` on SQLite: a test it cannot take for a way in (it has no statistics to see
    that nearly every instance is a project, or how few rows a part-month holds)."""
    return column.concat("") if uow.session.bind.dialect.name == "sqlite" else column


def counted_projects(ctx, uow, filters: Filters) -> list:
    """The projects the tallies count, as rows: for a part-month's rows. On SQLite no test on the
    project is a way in (`|| ''`), so it starts from the part-month's rows by their time (at most
    two part-months of the company's), not from the projects (all of them); PostgreSQL, which knows
    how many projects pass, does so with the plain columns (unindexed, it hashed all 100,000)."""
    unindexed = partial(_unindexed, uow)
    return [unindexed(Instance.process_id).in_(project_process_ids(ctx, uow)), *_filtered(unindexed, filters)]


def month_of(uow, moment):
    """YYYY-MM of a time column's value (or aggregate), in SQL."""
    if uow.session.bind.dialect.name == "postgresql":
        return func.to_char(moment, "YYYY-MM")
    return func.substr(cast(moment, String), 1, 7)
