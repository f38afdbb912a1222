"""What the workspace's use cases return: plain dataclasses, never ORM rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class RevenueYear:
    year: int
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class StageChange:
    at: datetime
    from_stage: str | None
    to_stage: str | None
    cause: str
    reason: str
    by: str | None
    instance_id: str | None


@dataclass(frozen=True)
class ContactView:
    id: str
    account_id: str
    name: str
    title: str
    department: str
    department_kind: str | None
    decision_role: str | None
    top_executive: bool
    leader: bool
    reports_to_id: str | None
    relationship_stage: str | None
    owner: str | None
    updated_at: datetime
    version: int
    stage_history: list[StageChange] = field(default_factory=list)   # oldest first; filled on the contact page
    public_official: bool = False           # gifts to them need compliance approval
    stage_confirm_by: str | None = None     # the successor who has yet to confirm the stage after a handover


@dataclass(frozen=True)
class CompetitorRepView:
    name: str
    sales_approach: str
    relationship_with_customer: str


@dataclass(frozen=True)
class CompetitorView:
    id: str
    account_id: str
    name: str
    products_in_use: str
    customer_satisfaction: int | None
    sales_reps: list[CompetitorRepView]
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class AccountProject:
    """A key-account project of the account, as its list shows it."""

    id: str
    number: int | None
    name: str
    owner: str
    status: str
    outcome: str | None
    stage: str
    updated_at: datetime


@dataclass(frozen=True)
class AccountFile:
    id: str
    instance_id: str
    project_name: str
    filename: str
    size: int
    uploaded_by: str
    created_at: datetime


@dataclass(frozen=True)
class AccountEvent:
    """One event of the account's audit stream (`account:<id>`), for its timeline."""

    id: int
    at: datetime
    actor: str | None
    kind: str
    meta: dict
    data: dict                  # the erasable payload ({} when there was none or it was erased)


@dataclass(frozen=True)
class AccountSummary:
    """An account as lists show it."""

    id: str
    name: str
    account_type: str
    industry: str
    owner: str
    tier: str
    qualification_score: int | None
    latest_revenue: RevenueYear | None
    updated_at: datetime


@dataclass(frozen=True)
class AccountView:
    """One account with everything its page shows. Sections another part of the workspace
    fills (the relationship ledger's activities) are lists that part appends to."""

    id: str
    name: str
    account_type: str
    industry: str
    business: str
    industry_basics: str
    organisation_structure: str
    purchasing_department: str
    supporting_departments: list[str]
    contact_channels: list[dict]
    similar_products_in_use: str
    criteria: dict[str, int | None]
    qualification_score: int | None
    tier: str
    potential: Money | None
    revenues: list[RevenueYear]           # newest year first
    owner: str
    team: list[str]
    executive_sponsor: str | None
    created_at: datetime
    updated_at: datetime
    version: int
    may_edit: bool                        # for the viewer who asked
    may_manage: bool                      # may change owner, team and sponsor
    may_hand_over: bool = False           # may hand the account to a successor (a manager above the owner, admins)
    contacts: list[ContactView] = field(default_factory=list)
    competitors: list[CompetitorView] = field(default_factory=list)
    projects: list[AccountProject] = field(default_factory=list)
    files: list[AccountFile] = field(default_factory=list)
    timeline: list[AccountEvent] = field(default_factory=list)     # newest first
    activities: list = field(default_factory=list)                 # the relationship ledger's, newest first


@dataclass(frozen=True)
class OpenProject:
    """A running project the leaver owns at a handed-over account: it stays theirs."""

    id: str
    number: int | None
    project_name: str
    account_id: str


@dataclass(frozen=True)
class Handover:
    """What a handover moved: the accounts, how many of their people, and the leaver's open projects there."""

    leaver: str
    successor: str
    account_ids: list[str]
    contacts: int
    open_projects: list[OpenProject]


@dataclass(frozen=True)
class StageToConfirm:
    """A person taken over from a leaver whose relationship stage the successor has yet to confirm."""

    contact_id: str
    name: str
    account_id: str
    account_name: str
    stage: str | None
