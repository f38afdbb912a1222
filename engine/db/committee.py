"""Committee rounds, kept beside the workflow so reports never read workflow state (issue 9)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, UTCDateTime


class CommitteeRound(Base):
    """One round of the committee's vote on a project: the rule it ran under (decided before it
    opened) and, once every vote is in, what the tally made of it."""

    __tablename__ = "committee_rounds"
    __table_args__ = (Index("ix_committee_rounds_instance", "instance_id", "closed_at"),
                      Index("ix_committee_rounds_report", "closed_at", "voting_rule", "outcome"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(200))                 # the vote's BPMN id
    voting_rule: Mapped[str] = mapped_column(String(32))           # majority | two_thirds | unanimous
    deal_size: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))   # what the rule was decided on
    deal_currency: Mapped[str | None] = mapped_column(String(3))
    members: Mapped[int] = mapped_column(Integer, default=0)       # votes asked for
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # approve | return | decline | tie (the tally's); rewound (an admin's rewind); None while open
    outcome: Mapped[str | None] = mapped_column(String(16))
    approvals: Mapped[int] = mapped_column(Integer, default=0)
    returns: Mapped[int] = mapped_column(Integer, default=0)
    declines: Mapped[int] = mapped_column(Integer, default=0)
