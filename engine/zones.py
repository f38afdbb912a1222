"""Time zones: checked against the tz database when set, read safely when used.

A zone stored before it was checked (or one a tzdata update removed) must not break every
page its user opens: `zone_or_utc` answers UTC for it, and `is_known` lets pages say so.
"""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT = "Asia/Taipei"
_NOT_PLACES = {"localtime", "Factory"}      # loadable on some systems, but not a place anyone lives


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """The tz database's zone names (installed data: the same in every process)."""
    return frozenset(available_timezones() - _NOT_PLACES)


def is_known(name) -> bool:
    return isinstance(name, str) and name in known_zones()


def zone_or_utc(name) -> ZoneInfo:
    return ZoneInfo(name) if is_known(name) else ZoneInfo("UTC")


def effective(name) -> str:
    """The zone times are shown in for a user whose stored zone is `name`."""
    return name if is_known(name) else "UTC"
