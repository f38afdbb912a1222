"""SQLite's cycle triggers find a step's first completion through the project, not through the step

The recount of a project's step (0027, kept by 0034) counts its returns from the step's first
completion: `min(d.closed_at)` of the project's completed rows of the step. SQLite, without
statistics, took `ix_tasks_report` (bpmn_id, state, closed_at) for it, the MIN read in the index's
order: it walked every completed row of that step in the company, oldest first, until one was the
project's - and a project just worked on is the newest. Every task row written (each completion,
each seeded row) read up to all of them: the 100,000-project seeder slowed from ~300 to ~2 projects
a second as the table grew, and a completion on a big database paid the same walk.

`+d.state` keeps that term off any index, so the subquery seeks `ix_tasks_cycle` (instance_id,
bpmn_id): the project's dozen rows. The stored trigger texts are rewritten in place (the only change);
PostgreSQL, which plans with statistics, seeks the project's rows already and is left as it is.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-03
"""
from alembic import op


revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

BY_STEP = "AND d.state = 'completed'"
BY_PROJECT = "AND +d.state = 'completed'"
TRIGGERS = ("cycle_task_inserted", "cycle_task_updated", "cycle_task_moved", "cycle_task_deleted")


def _rewrite(old: str, new: str) -> None:
    conn = op.get_bind()
    if conn.dialect.name != 'sqlite':
        return
    for name in TRIGGERS:
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                   (name,)).scalar_one()
        assert sql.count(old) == 1, f"{name}: expected one {old!r}"
        conn.exec_driver_sql(f"DROP TRIGGER {name}")
        conn.exec_driver_sql(sql.replace(old, new))


def upgrade() -> None:
    _rewrite(BY_STEP, BY_PROJECT)


def downgrade() -> None:
    _rewrite(BY_PROJECT, BY_STEP)
