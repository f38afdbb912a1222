"""Decisions and committee rounds counted as they are given, so the returns report need not group
every decided row and every round.

One row per (process, project owner, account type, step, decision, reason code, first decision,
UTC month of the decision) holds how many decided task rows have that key. The database keeps it
(migration 0029: triggers on tasks, instances and accounts), in the statement that changes a
decided row or what its key is read from - whoever writes it: the engine's completion, a
withdrawal, an admin's rewind, the big-database seeder's copied rows, a hand edit. A row whose
count fell to 0 stays (readers skip it). Empty values are kept as '' (no reason, no account) and
false (first decision not known): a key column is never NULL, so each key is one row.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .committee import CommitteeRound
from .schema import Base, Task

Index("ix_tasks_decided_at", Task.closed_at, Task.instance_id, Task.bpmn_id, Task.decision, Task.reason_code,
      Task.first_decision, sqlite_where=Task.decision.isnot(None), postgresql_where=Task.decision.isnot(None))
Index("ix_committee_rounds_opened", CommitteeRound.opened_at, CommitteeRound.instance_id, CommitteeRound.voting_rule,
      CommitteeRound.outcome, CommitteeRound.members, CommitteeRound.approvals, CommitteeRound.returns,
      CommitteeRound.declines)


class DecisionTally(Base):
    __tablename__ = "decision_tallies"
    # the key's order: by process and owner, then the report's groups (SQLite sums them in this
    # order without a sort); SQLite keeps the rows in the key's b-tree itself (no rowid)
    __table_args__ = {"sqlite_with_rowid": False}
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), primary_key=True)
    step: Mapped[str] = mapped_column(String(200), primary_key=True)
    decision: Mapped[str] = mapped_column(String(64), primary_key=True)
    reason_code: Mapped[str] = mapped_column(String(200), primary_key=True)    # '' without one
    first_decision: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    account_type: Mapped[str] = mapped_column(String(16), primary_key=True)    # '' without an account
    month: Mapped[str] = mapped_column(String(7), primary_key=True)            # YYYY-MM; '' when never closed
    n: Mapped[int] = mapped_column(Integer)


class VoteTally(Base):
    """Committee rounds counted per (process, project owner, rule, outcome, account type, UTC month
    the round opened), with their votes asked for and the tally's approvals, returns and declines
    (migration 0030, kept by triggers on committee_rounds, instances and accounts). An open round's
    outcome is ''."""

    __tablename__ = "vote_tallies"
    __table_args__ = {"sqlite_with_rowid": False}
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), primary_key=True)
    voting_rule: Mapped[str] = mapped_column(String(32), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    rounds: Mapped[int] = mapped_column(Integer)
    members: Mapped[int] = mapped_column(Integer)
    approvals: Mapped[int] = mapped_column(Integer)
    returns: Mapped[int] = mapped_column(Integer)
    declines: Mapped[int] = mapped_column(Integer)
