"""Duration buckets (pure): where the k-th smallest of many kept durations lies.

The database counts completed activations per step and bucket (`cycle_durations`, migration
0027). A bucket is a value's first two decimal digits and its number of digits, so each holds
values within 10% of each other and a step's times, from seconds to years, fall into a few hundred.
The bucket holding a rank is found from the counts; only that bucket's values are then read and
sorted, so the figure is exact. Values below 10 (and any negative time a hand edit made) share
bucket 0. The SQL in migration 0027 computes `bucket` the same way (a test holds them equal).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

LARGEST = 2 ** 63 - 1                   # a BIGINT bound


def bucket(value: int) -> int:
    """digits * 100 + the first two digits; 0 below 10."""
    if value < 10:
        return 0
    digits = str(value)
    return len(digits) * 100 + int(digits[:2])


def bounds(code: int) -> tuple[int | None, int | None]:
    """The values a bucket holds: lower <= value < upper (None: unbounded; upper beyond a BIGINT)."""
    if code == 0:
        return None, 10
    digits, lead = divmod(code, 100)
    lower, upper = lead * 10 ** (digits - 2), (lead + 1) * 10 ** (digits - 2)
    return lower, upper if upper <= LARGEST else None


@dataclass(frozen=True)
class Place:
    """The rank's bucket and its place among that bucket's values sorted (0-based)."""

    bucket: int
    offset: int


def place(counts: Iterable[tuple[int, int]], rank: int) -> Place:
    """Where the `rank`-th smallest value (1-based) lies, from (bucket, count) pairs."""
    below = 0
    for code, count in sorted(counts):
        if rank <= below + count:
            return Place(code, rank - below - 1)
        below += count
    raise ValueError(f"rank {rank} beyond the {below} values counted")
