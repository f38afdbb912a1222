"""Amounts in the base currency for reports: a missing rate answers None (shown as "no rate"),
never a guess. A year's revenue converts at the rate valid on the last day of that year (or
today, for the current year); a project's budget at today's rate, as the voting rule does."""
from __future__ import annotations

from datetime import date

from ..workspace.currency import in_base

__all__ = ["in_base", "year_end"]


def year_end(year: int, today: date) -> date:
    return min(date(year, 12, 31), today)
