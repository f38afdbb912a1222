"""What the relationship ledger's use cases return: plain dataclasses, never ORM rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class ActivityView:
    id: int
    contact_id: str
    contact_name: str
    kind: str
    marks: str | None                 # the stage this activity marks (None for `other`)
    occurred_on: date
    notes: str
    recorded_by: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class TargetView:
    stage: str
    due_on: date
    reached: bool
    overdue: bool                     # the date has passed (reached or not)


@dataclass(frozen=True)
class ColdContact:
    """Someone nothing was done with for longer than the configured days."""

    contact_id: str
    account_id: str
    name: str
    last_activity: date | None
    days_quiet: int


@dataclass(frozen=True)
class GiftView:
    id: str
    account_id: str
    contact_id: str | None
    recipient_name: str
    kind: str
    description: str
    given_on: date
    amount: Decimal
    currency: str
    status: str                       # recorded | pending | approved | declined
    review_reasons: list[str]
    instance_id: str | None
    decision_reason: str
    decided_by: str | None
    decided_at: datetime | None
    recorded_by: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class CoveragePerson:
    contact_id: str
    name: str
    decision_role: str
    stage: str | None


@dataclass(frozen=True)
class Coverage:
    """A project's decision unit by relationship stage (decision makers and influencers)."""

    instance_id: str
    people: list[CoveragePerson]
    by_stage: dict[str, list[CoveragePerson]]      # stage code ("" for none yet) -> people
    decision_maker_beyond_acquaintance: bool
    mode: str                                      # warn | block (the setting)

    @property
    def warning(self) -> bool:
        return not self.decision_maker_beyond_acquaintance


@dataclass(frozen=True)
class Ledger:
    """The ledger's part of a contact's or an account's page."""

    activities: list[ActivityView] = field(default_factory=list)
    targets: dict[str, TargetView] = field(default_factory=dict)      # contact id -> target
    cold: list[ColdContact] = field(default_factory=list)
    gifts: list[GiftView] = field(default_factory=list)
    going_cold_days: int = 60
