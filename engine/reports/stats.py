"""Median and 90th percentile of durations (pure).

The median is the middle value, or the mean of the two middle values when there is an even
number of them. The 90th percentile uses the nearest-rank method: the value at position
ceil(0.9 * n) of the values sorted ascending (1-based), so it is always a value that occurred
and at least 90% of the values are at or below it.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Iterable


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return float(statistics.median(values)) if values else None


def percentile(values: Iterable[float], p: float) -> float | None:
    """The nearest-rank `p`-th percentile (0 < p <= 100), None without values."""
    if not 0 < p <= 100:
        raise ValueError(f"percentile must be in (0, 100]: {p}")
    ordered = sorted(values)
    if not ordered:
        return None
    return float(ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1])


@dataclass(frozen=True)
class Spread:
    """How long something took: how many times, the median and the 90th percentile (seconds)."""

    count: int
    median: float | None
    p90: float | None


def spread(values: Iterable[float]) -> Spread:
    values = list(values)
    return Spread(len(values), median(values), percentile(values, 90))
