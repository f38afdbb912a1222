"""End to end for a period, from the projects the database counts by month of first opening and
bucket of their time (`cycle_project_months`, migration 0043), for `kept_period`.

A project lies wholly inside the period when it first and last opened in it: its kept time is its
time in the period. Their count per bucket is the period's whole months' counts, less the projects
first opened in them that straddle the period's end (the caller has found them), plus those first
opened in its partial months and last opened before its end (read from `ix_cycle_projects_period`).
The straddling projects' times over their activations in the period are added to the counts; a
rank's bucket is found from the counts and only that bucket's times are read (`ix_cycle_projects_took`)
and merged with the straddling ones', so the figures are exact. Ranking every kept time instead
read 47,000 of them over a long period at 100,000 projects (100-150 ms on SQLite).
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from sqlalchemy import Integer, String, case, cast, func, select, union_all

from ..db.cycle_summaries import CycleProject, CycleProjectMonth
from . import buckets
from .kept_cycle import ranks, spread_at
from .stats import Spread

UNFINISHED = -1                       # the bucket of a project not finished (as 0043)


def within(column, lower, upper) -> list:
    """`column` in [lower, upper) (None: unbounded)."""
    return ([column >= lower] if lower is not None else []) + ([column < upper] if upper is not None else [])


def bucket_sql(value):
    """`buckets.bucket` in SQL, as migration 0027 computes it."""
    text = cast(value, String)
    return case((value < 10, 0), else_=func.length(text) * 100 + cast(func.substr(text, 1, 2), Integer))


def project_bucket_sql(took):
    """A project's bucket as 0043 keeps it: its time's, or UNFINISHED."""
    return case((took.is_(None), UNFINISHED), else_=bucket_sql(took))


def month_start(month: str | None) -> datetime | None:
    """'YYYY-MM' as the first moment of that month, in UTC."""
    if month is None:
        return None
    year, number = month.split("-")
    return datetime(int(year), int(number), 1, tzinfo=timezone.utc)


def in_months(column, whole: tuple[str | None, str | None]) -> list:
    """A time within the whole months [first, after) ('YYYY-MM'; None: unbounded)."""
    return within(column, month_start(whole[0]), month_start(whole[1]))


class PeriodEndToEnd:
    """One view's period: `whole`, its whole months and `edges`, its partial ones (`kept_period.split`)."""

    def __init__(self, s, processes: list[str], account_type: str | None, starts: datetime | None,
                 ends: datetime | None, whole, edges):
        self.s, self.processes, self.account_type = s, processes, account_type
        self.starts, self.ends, self.whole, self.edges = starts, ends, whole, edges

    def _in_view(self, table) -> list:
        return [table.process_id.in_(self.processes),
                *([table.account_type == self.account_type] if self.account_type is not None else [])]

    def _before_end(self) -> list:
        return [CycleProject.last_opened < self.ends] if self.ends is not None else []

    def counted(self) -> Counter:
        """Per bucket, the kept projects first opened in the period: in its whole months (all of
        them, those straddling its end too) and in its partial months (last opened before its end)."""
        m, c, parts = CycleProjectMonth, CycleProject, []
        if self.whole is not None:
            parts.append(select(m.bucket, func.sum(m.projects)).where(*self._in_view(m), *within(m.month, *self.whole))
                         .group_by(m.bucket))
        for lower, upper in self.edges:
            code = project_bucket_sql(c.took_us)
            parts.append(select(code, func.count()).where(*self._in_view(c), *within(c.first_opened, lower, upper),
                                                          *self._before_end()).group_by(code))
        counts: Counter = Counter()
        for code, n in self.s.execute(union_all(*parts)) if parts else ():
            counts[int(code)] += int(n or 0)
        return counts

    def _inside(self, code: int) -> list[int]:
        """The kept times in bucket `code` of the projects wholly inside the period."""
        c = CycleProject
        lower, upper = buckets.bounds(code)
        return [int(v) for v in self.s.scalars(
            select(c.took_us).where(*self._in_view(c), c.took_us.is_not(None), *within(c.took_us, lower, upper),
                                    *within(c.first_opened, self.starts, self.ends), *self._before_end()))]

    def spread(self, straddlers: list[tuple], taken_out: Counter) -> tuple[Spread, int]:
        """(end to end, projects in view) from the straddling projects' (time, finished) over their
        activations in the period, and `taken_out`: per bucket, those of them first opened in the
        whole months (their kept rows, counted there)."""
        theirs = sorted(int(took) for took, finished in straddlers if int(finished or 0))
        counts = self.counted()
        counts.subtract(taken_out)
        counts.update(buckets.bucket(took) for took in theirs)
        counts[UNFINISHED] += sum(1 for _took, finished in straddlers if not int(finished or 0))
        projects = sum(counts.values())
        finished = [(code, n) for code, n in counts.items() if code != UNFINISHED and n > 0]
        n = sum(count for _code, count in finished)
        at, read = {}, {}
        for rank in ranks(n):
            place = buckets.place(finished, rank)
            if place.bucket not in read:
                read[place.bucket] = sorted([*self._inside(place.bucket),
                                             *(t for t in theirs if buckets.bucket(t) == place.bucket)])
            at[rank] = read[place.bucket][place.offset] / 1_000_000
        return spread_at(n, at), projects
