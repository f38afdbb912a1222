"""an index on claimed open tasks by their group, for the count before a group is deleted

Before a group is deleted the engine counts the open tasks offered to it, whether someone has
claimed them or not (engine/usecases/groups.py). Migration 0017 made the group index hold
unclaimed tasks only (the inbox's), so the claimed ones were found by reading every open task.
This partial index holds the claimed open tasks only: the inbox, which reads unclaimed ones,
can never prefer it to its own ordered index (an index of every open task by group was, on
PostgreSQL, and made the pool's page sort 10,000 tasks).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None
CLAIMED = sa.text("state = 'open' AND assignee IS NOT NULL")


def upgrade() -> None:
    op.create_index('ix_tasks_claimed_by_group', 'tasks', ['candidate_group'], sqlite_where=CLAIMED,
                    postgresql_where=CLAIMED)


def downgrade() -> None:
    op.drop_index('ix_tasks_claimed_by_group', table_name='tasks')
