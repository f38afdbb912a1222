"""`eng.reports`: each report in one read-only unit of work; filters come as text (a query
string) and are checked first, so a bad one is refused with its field's name."""
from __future__ import annotations

from . import filters as report_filters
from .cycle import CycleTime, cycle_time
from .home import OverdueGroup, StepCount, VoteWaiting, overdue_groups, projects_by_step, votes_waiting
from .overdue import OverdueRow, overdue
from .pipeline import Pipeline, pipeline
from .portfolio import Portfolio, portfolio
from .relationships import Coverage, coverage
from .returns import Returns, returns


class Reports:
    def __init__(self, eng):
        self._eng = eng

    def _run(self, report, username: str, raw: dict | None):
        chosen = report_filters.parse(raw or {})
        return self._eng._read(lambda uow: report(self._eng.ctx, uow, username, chosen))

    def portfolio(self, username: str, filters: dict | None = None) -> Portfolio:
        return self._run(portfolio, username, filters)

    def pipeline(self, username: str, filters: dict | None = None) -> Pipeline:
        return self._run(pipeline, username, filters)

    def cycle_time(self, username: str, filters: dict | None = None) -> CycleTime:
        return self._run(cycle_time, username, filters)

    def returns(self, username: str, filters: dict | None = None) -> Returns:
        return self._run(returns, username, filters)

    def overdue(self, username: str, filters: dict | None = None) -> list[OverdueRow]:
        return self._run(overdue, username, filters)

    def coverage(self, username: str, filters: dict | None = None) -> Coverage:
        return self._run(coverage, username, filters)

    def projects_by_step(self, username: str) -> list[StepCount]:
        """For the home page: the open projects `username` may see, counted by step, with their value."""
        return self._run(projects_by_step, username, None)

    def overdue_groups(self, username: str) -> list[OverdueGroup]:
        """For the home page: the overdue report's groups without its task rows."""
        return self._run(overdue_groups, username, None)

    def votes_waiting(self, username: str) -> list[VoteWaiting]:
        """For the home page: the committee votes offered to `username`, apart from their other tasks."""
        return self._run(votes_waiting, username, None)
