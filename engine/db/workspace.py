"""The key-account workspace's tables: accounts, the people at them, the competitors there.

Accounts outlive projects (domain §1-§5): a project (an instance of a process that declares
`accountField`) points at its account, and its forms read from and write back to these rows.
Text columns declare their size; the input schemas in `engine/workspace/schemas.py` take
their limits from here, so a form and its column cannot disagree.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, UTCDateTime, utcnow

NAME, LINE, TEXT, CODE = 200, 200, 5000, 16     # a name, a one-line field, a long text, an enum value


class Account(Base):
    """A customer we manage as a key account (大客戶), with its profile and our side of it."""

    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), index=True)
    account_type: Mapped[str] = mapped_column(String(CODE))              # global | national | regional
    industry: Mapped[str] = mapped_column(String(LINE), default="")
    business: Mapped[str] = mapped_column(String(TEXT), default="")
    industry_basics: Mapped[str] = mapped_column(String(TEXT), default="")
    organisation_structure: Mapped[str] = mapped_column(String(TEXT), default="")
    purchasing_department: Mapped[str] = mapped_column(String(LINE), default="")
    supporting_departments: Mapped[list] = mapped_column(JSON, default=list)   # [department name]
    contact_channels: Mapped[list] = mapped_column(JSON, default=list)         # [{channel, detail}]
    similar_products_in_use: Mapped[str] = mapped_column(String(TEXT), default="")
    sales_volume: Mapped[int | None] = mapped_column(Integer)            # the four criteria (§2), 1-5
    technology_absorption: Mapped[int | None] = mapped_column(Integer)
    market_strength: Mapped[int | None] = mapped_column(Integer)
    financial_health: Mapped[int | None] = mapped_column(Integer)
    potential_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))   # sales potential
    potential_currency: Mapped[str | None] = mapped_column(String(3))
    owner: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)          # the owner rep
    executive_sponsor: Mapped[str | None] = mapped_column(ForeignKey("users.username"), index=True)  # our senior (§7)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}      # two edits of one account never both win silently


class AccountTeamMember(Base):
    """Our people on the account besides its owner; they may see and edit it."""

    __tablename__ = "account_team"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username", ondelete="CASCADE"), primary_key=True,
                                          index=True)


class AccountRevenue(Base):
    """What the account bought from us in one year (one row a year)."""

    __tablename__ = "account_revenues"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    # `amount` in the base currency, in hundredths, and what that holds for: the base it is in and
    # the conversion dates whose rate it used (from <= date < until; NULL: open). Kept by
    # `engine.workspace.base_amounts`; no base currency: not kept (readers convert the amount).
    base_amount: Mapped[int | None] = mapped_column(BigInteger)
    base_currency: Mapped[str | None] = mapped_column(String(3))
    base_from: Mapped[date | None] = mapped_column(Date)
    base_until: Mapped[date | None] = mapped_column(Date)


class Contact(Base):
    """A person at the account: their place in the decision unit and our relationship stage."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_account", "account_id", "name"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME))
    title: Mapped[str] = mapped_column(String(LINE), default="")
    department: Mapped[str] = mapped_column(String(LINE), default="")
    department_kind: Mapped[str | None] = mapped_column(String(CODE))    # purchasing | supporting
    decision_role: Mapped[str | None] = mapped_column(String(CODE))      # decision_maker | influencer | ...
    top_executive: Mapped[bool] = mapped_column(Boolean, default=False)  # takes part in the final decision (§4)
    leader: Mapped[bool] = mapped_column(Boolean, default=False)         # among the account's managers/leaders
    public_official: Mapped[bool] = mapped_column(Boolean, default=False)  # gifts to them need compliance approval
    reports_to_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    relationship_stage: Mapped[str | None] = mapped_column(String(CODE))  # only `change_stage` sets it
    owner: Mapped[str | None] = mapped_column(ForeignKey("users.username", ondelete="SET NULL"))
    # who took the person over from a leaver and has yet to confirm their stage (engine/workspace/handover.py)
    stage_confirm_by: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # the day of their latest activity, None if none: kept by the database's triggers (migration 0031)
    last_activity_on: Mapped[date | None] = mapped_column(Date)

    __mapper_args__ = {"version_id_col": version}


class ContactStageChange(Base):
    """Every change of a contact's relationship stage, in order: the stage's history."""

    __tablename__ = "contact_stage_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(CODE))
    to_stage: Mapped[str | None] = mapped_column(String(CODE))
    cause: Mapped[str] = mapped_column(String(32))        # why: project_form, ledger, handover, correction...
    reason: Mapped[str] = mapped_column(String(2000), default="")
    instance_id: Mapped[str | None] = mapped_column(String(36))   # the project whose form set it, if any
    changed_by: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Competitor(Base):
    """A competitor present at the account (§5.1.2): what they sell there and how it is liked."""

    __tablename__ = "competitors"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME))
    products_in_use: Mapped[str] = mapped_column(String(TEXT), default="")
    customer_satisfaction: Mapped[int | None] = mapped_column(Integer)   # 1-5
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CompetitorRep(Base):
    """One of a competitor's sales reps at the account: how they sell, how close they are."""

    __tablename__ = "competitor_reps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    competitor_id: Mapped[str] = mapped_column(ForeignKey("competitors.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(NAME))
    sales_approach: Mapped[str] = mapped_column(String(TEXT), default="")
    relationship_with_customer: Mapped[str] = mapped_column(String(TEXT), default="")
