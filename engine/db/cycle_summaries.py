"""What the cycle-time report keeps as work is done (migration 0027), so that a viewer who sees
every project reads a few thousand rows, not the 1.1M activations of 100,000 projects.

The database keeps them, whoever writes a task row (the engine, a timer, a rewind, a withdrawal,
the big-database seeder, a hand edit): triggers on `tasks` recount the changed row's project and
step from its task rows (a dozen rows, through `ix_tasks_cycle`), and triggers on `cycle_steps`
add each recount's difference to its process's totals. Nothing is incremented blindly except the
duration counts, which move one row from one bucket to another. A deleted project takes its share
out itself (0034): a trigger before its `instances` row goes, while its rows still exist, removes its
steps, its project row and its durations; the task rows that then cascade find no project and are
skipped (on PostgreSQL they fire only once all of them and the project are gone).

- `cycle_steps`: per project and step, its activations by state and its returns (as
  `reports.durations` defines them); first and last opening and the last opened one's name.
- `cycle_step_totals`: the same counts summed per process and step, in 256 shards (0028).
- `cycle_projects`: per project its first opening and, once finished (`durations.end_to_end`),
  its time end to end in exact microseconds.
- `cycle_durations`: per process, step and duration bucket (`reports.buckets`), how many completed
  activations took that long; the report finds the bucket holding a rank here and reads only that
  bucket's rows from `ix_tasks_durations` (step, time) for the exact value.

For a period (0041): `cycle_step_months`, `cycle_steps`' counts summed by the month of each
project-step's first opening (kept by triggers on `cycle_steps`), `cycle_duration_months`, the
duration counts by the month each activation opened (triggers on `tasks`), and each project's last
opening (`cycle_projects.last_opened`), so that `reports.kept_period` reads the projects wholly
inside a period from what is kept and counts only those straddling it from their activations.

By account type (0042): `cycle_type_step_months` and `cycle_type_duration_months`, the month counts
by the type of each project's account, and `cycle_projects.account_type`, so that a view of every
account of one type is read as the company's is (`reports.kept_type` for all time, `kept_period`
with a period); triggers move a project's share when its account's type or its account changes.

End to end by month (0043): `cycle_project_months`, the projects counted by type, month of first
opening and bucket of their time, kept by triggers on `cycle_projects`, so that a period's end to
end ranks the projects wholly inside it from counts (`reports.kept_end_to_end`).

On SQLite, `ix_cycle_steps_counts` and `ix_cycle_projects_times` (0039, not mapped here) hold every
column a view's read of its projects' rows takes, so it never reads the tables.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, Task
from .utc_time import UTCDateTime


class CycleStep(Base):
    __tablename__ = "cycle_steps"
    __table_args__ = (Index("ix_cycle_steps_first", "process_id", "bpmn_id", "first_opened"),
                      Index("ix_cycle_steps_last", "process_id", "bpmn_id", "last_opened", "name"))
    instance_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    bpmn_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    first_opened: Mapped[datetime] = mapped_column(UTCDateTime)
    last_opened: Mapped[datetime] = mapped_column(UTCDateTime)
    activations: Mapped[int] = mapped_column(Integer)
    open_count: Mapped[int] = mapped_column(Integer)
    rewound: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[int] = mapped_column(Integer)
    returns: Mapped[int] = mapped_column(Integer)


class _SummedCounts:
    """`cycle_steps`' counts summed over many projects (hence BIGINT)."""

    activations: Mapped[int] = mapped_column(BigInteger)
    open_count: Mapped[int] = mapped_column(BigInteger)
    rewound: Mapped[int] = mapped_column(BigInteger)
    cancelled: Mapped[int] = mapped_column(BigInteger)
    returns: Mapped[int] = mapped_column(BigInteger)


class CycleStepTotal(_SummedCounts, Base):
    """Sharded by the project id's first two hex digits (0028): transactions on different projects
    seldom update one row, so they neither queue nor deadlock at a step's totals on PostgreSQL."""

    __tablename__ = "cycle_step_totals"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    bpmn_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    shard: Mapped[str] = mapped_column(String(2), primary_key=True)


class CycleProject(Base):
    __tablename__ = "cycle_projects"
    __table_args__ = (Index("ix_cycle_projects_took", "process_id", "took_us"),
                      Index("ix_cycle_projects_period", "process_id", "first_opened", "last_opened", "took_us"),
                      Index("ix_cycle_projects_last", "process_id", "last_opened", "first_opened"),
                      Index("ix_cycle_projects_type", "process_id", "account_type", "took_us"),
                      Index("ix_cycle_projects_type_period", "process_id", "account_type", "first_opened",
                            "last_opened", "took_us"))
    instance_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200))
    first_opened: Mapped[datetime] = mapped_column(UTCDateTime)
    last_opened: Mapped[datetime | None] = mapped_column(UTCDateTime)      # None only before 0041 filled it
    took_us: Mapped[int | None] = mapped_column(BigInteger)      # None until finished
    account_type: Mapped[str | None] = mapped_column(String(16))  # its account's ('' without one; 0042)


class CycleDuration(Base):
    __tablename__ = "cycle_durations"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    bpmn_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    completed: Mapped[int] = mapped_column(BigInteger)      # activations that took this long


class CycleStepMonth(_SummedCounts, Base):
    """`cycle_steps`' counts summed by the month of each project-step's first opening (0041),
    sharded as the totals are."""

    __tablename__ = "cycle_step_months"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    bpmn_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)          # YYYY-MM
    shard: Mapped[str] = mapped_column(String(2), primary_key=True)


class CycleDurationMonth(Base):
    """`cycle_durations` by the month each activation opened (0041)."""

    __tablename__ = "cycle_duration_months"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    bpmn_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)          # YYYY-MM
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    completed: Mapped[int] = mapped_column(BigInteger)


class CycleTypeStepMonth(_SummedCounts, Base):
    """`cycle_steps`' counts summed by the account type of each project's account and the month of
    each project-step's first opening (0042), in 16 shards (the project id's first hex digit)."""

    __tablename__ = "cycle_type_step_months"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    account_type: Mapped[str] = mapped_column(String(16), primary_key=True)     # '' without an account
    bpmn_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)             # YYYY-MM
    shard: Mapped[str] = mapped_column(String(1), primary_key=True)


class CycleTypeDurationMonth(Base):
    """`cycle_duration_months` by the account type of each activation's project (0042)."""

    __tablename__ = "cycle_type_duration_months"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    account_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    bpmn_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    completed: Mapped[int] = mapped_column(BigInteger)


class CycleProjectMonth(Base):
    """`cycle_projects` counted by process, account type, month of first opening and bucket of the
    time end to end (0043; -1: not finished), in 16 shards as 0042's, so that a period's projects
    wholly inside it are ranked from counts and only a rank's bucket of times is read."""

    __tablename__ = "cycle_project_months"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    account_type: Mapped[str] = mapped_column(String(16), primary_key=True)     # '' without an account
    month: Mapped[str] = mapped_column(String(7), primary_key=True)             # YYYY-MM
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)              # -1: not finished
    shard: Mapped[str] = mapped_column(String(1), primary_key=True)
    projects: Mapped[int] = mapped_column(BigInteger)


Index("ix_cycle_steps_opened", CycleStep.process_id, CycleStep.first_opened, CycleStep.bpmn_id, CycleStep.activations,
      CycleStep.open_count, CycleStep.rewound, CycleStep.cancelled, CycleStep.returns)
Index("ix_tasks_durations", Task.bpmn_id, Task.duration_us, Task.created_at, Task.instance_id)
