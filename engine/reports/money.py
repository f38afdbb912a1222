"""Amounts in the base currency for reports: a missing rate answers None (shown as "no rate"),
never a guess. A year's revenue converts at the rate valid on the last day of that year (or
today, for the current year). Both rules live in `engine.workspace.currency`, which the account
list's tiers use too."""
from __future__ import annotations

from ..workspace.currency import in_base, year_end

__all__ = ["in_base", "year_end"]
