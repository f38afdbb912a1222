"""The filters every report takes: period, department, rep, account type (and the portfolio's year).

They come from a query string, so each is checked here and a bad one is refused with its name
(`$.since`, `$.account_type`, ...) before anything reaches the database. An empty value means
no filter.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from .. import text
from ..errors import FieldError, ValidationFailed
from ..workspace.rules import ACCOUNT_TYPES

FIELDS = ("since", "until", "department", "rep", "account_type", "year")
YEARS = (1900, 2999)


@dataclass(frozen=True)
class Filters:
    since: date | None = None            # the period, both days included
    until: date | None = None
    department: str | None = None        # the owner rep's department
    rep: str | None = None               # the owner rep
    account_type: str | None = None
    year: int | None = None              # the portfolio's revenue year; None: the latest with revenue

    def as_query(self) -> dict[str, str]:
        """The filters as a query string holds them (for links such as the CSV download)."""
        values = {name: getattr(self, name) for name in FIELDS}
        return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in values.items() if v is not None}

    @property
    def starts(self) -> datetime | None:
        return datetime.combine(self.since, time.min, timezone.utc) if self.since else None

    @property
    def ends(self) -> datetime | None:
        """The first moment after the period."""
        if self.until is None:
            return None
        return datetime.combine(self.until + timedelta(days=1), time.min, timezone.utc)


def _day(name: str, value: str, errors: list[FieldError]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(f"$.{name}", "must be a date (YYYY-MM-DD)"))
        return None


def parse(raw: dict[str, str | None]) -> Filters:
    """Filters from text values (a query string); ValidationFailed names every bad field."""
    values = {k: text.trim(v) for k, v in raw.items() if k in FIELDS and isinstance(v, str) and text.trim(v)}
    errors: list[FieldError] = []
    for name, limit in (("department", "department"), ("rep", "username")):
        if name in values:
            errors += [e for e in [text.field_error(f"$.{name}", values[name], text.LIMITS[limit])] if e]
    since = _day("since", values["since"], errors) if "since" in values else None
    until = _day("until", values["until"], errors) if "until" in values else None
    if since and until and until < since:
        errors.append(FieldError("$.until", "must not be before the start of the period"))
    kind = values.get("account_type")
    if kind is not None and kind not in ACCOUNT_TYPES:
        errors.append(FieldError("$.account_type", f"must be one of: {', '.join(ACCOUNT_TYPES)}"))
    year = None
    if "year" in values:
        if values["year"].isdigit() and YEARS[0] <= int(values["year"]) <= YEARS[1]:
            year = int(values["year"])
        else:
            errors.append(FieldError("$.year", f"must be a year from {YEARS[0]} to {YEARS[1]}"))
    if errors:
        raise ValidationFailed(errors)
    return Filters(since, until, values.get("department"), values.get("rep"), kind, year)
