"""The relationship ledger's tables: activities with the account's people, target stages for
decision makers, the gifts and hospitality register, and the workspace's settings.

Activities and gifts belong to an account (their rows go when the account goes); a gift
keeps its row when its recipient is taken off the account, so the register stays complete.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, UTCDateTime, utcnow
from .workspace import CODE, LINE, TEXT


class Activity(Base):
    """Something we did with a person at the account (domain §5.2): the stages' evidence."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_contact", "contact_id", "occurred_on"),
                      Index("ix_activities_account", "account_id", "occurred_on"),
                      Index("ix_activities_rep", "recorded_by", "occurred_on"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))          # a marker activity of a stage, or `other`
    occurred_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(String(TEXT), default="")
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StageTarget(Base):
    """Where we mean to take our relationship with a decision maker, and by when."""

    __tablename__ = "stage_targets"
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(CODE))
    due_on: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str | None] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Gift(Base):
    """A gift or hospitality given to a person at the account, and its compliance decision."""

    __tablename__ = "gifts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(LINE))      # kept when the person leaves the account
    kind: Mapped[str] = mapped_column(String(CODE))                # gift | hospitality
    description: Mapped[str] = mapped_column(String(TEXT), default="")
    given_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(CODE))              # recorded | pending | approved | declined
    review_reasons: Mapped[list] = mapped_column(JSON, default=list)   # why compliance looks: threshold, ...
    instance_id: Mapped[str | None] = mapped_column(String(36))    # the gift approval that decides it
    decision_reason: Mapped[str] = mapped_column(String(TEXT), default="")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkspaceSetting(Base):
    """One of the workspace's settings (engine/workspace/settings.py), changed by admins."""

    __tablename__ = "workspace_settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
